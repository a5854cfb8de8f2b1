package xnet.bpf;

/**
 * The numbers of this binding that belong to one architecture: the syscall numbers it calls
 * directly and the struct layouts it was written against (LP64, little-endian). They are
 * x86_64's; on any other architecture the binding refuses to start instead of passing wrong
 * numbers to the kernel.
 */
final class Abi {

    static final String ARCH = System.getProperty("os.arch");

    /** __NR_membarrier on x86_64 (arch/x86/entry/syscalls/syscall_64.tbl). */
    static final long NR_MEMBARRIER = 324;

    /** MEMBARRIER_CMD_GLOBAL (include/uapi/linux/membarrier.h). */
    static final int MEMBARRIER_CMD_GLOBAL = 1;

    /** open(2) flags and setns(2)'s namespace type (include/uapi/asm-generic/fcntl.h, linux/sched.h). */
    static final int O_RDONLY = 0;
    static final int O_CLOEXEC = 0x80000;
    static final int CLONE_NEWNET = 0x40000000;

    private Abi() {
    }

    /** Throws unless this JVM runs on the architecture these numbers are for. */
    static void requireSupported() {
        if (!"amd64".equals(ARCH) && !"x86_64".equals(ARCH)) {
            throw new UnsupportedOperationException("xnet's libbpf binding knows the syscall numbers and struct"
                    + " layouts of x86_64 only; this machine is " + ARCH);
        }
    }
}
