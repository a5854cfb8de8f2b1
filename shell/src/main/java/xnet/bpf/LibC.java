package xnet.bpf;

import jnr.ffi.Pointer;
import jnr.ffi.annotations.SaveError;

/** The few libc calls xnet needs around libbpf: namespaces, interface indexes, log formatting. */
public interface LibC {

    @SaveError
    int open(String path, int flags);

    int close(int fd);

    int dup(int fd);

    @SaveError
    int setns(int fd, int nstype);

    int if_nametoindex(String name);

    /** syscall(2) with three int arguments (membarrier). */
    @SaveError
    long syscall(long number, int a, int b, int c);

    int vsnprintf(Pointer buffer, long size, Pointer format, Pointer args);
}
