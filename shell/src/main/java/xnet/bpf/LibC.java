package xnet.bpf;

import jnr.ffi.Pointer;
import jnr.ffi.annotations.SaveError;

/** The few libc calls xnet needs around libbpf: namespaces, interface indexes, log formatting. */
public interface LibC {

    @SaveError
    int open(String path, int flags);

    int close(int fd);

    @SaveError
    int setns(int fd, int nstype);

    int if_nametoindex(String name);

    int vsnprintf(Pointer buffer, long size, Pointer format, Pointer args);
}
