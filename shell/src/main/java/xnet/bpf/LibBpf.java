package xnet.bpf;

import jnr.ffi.Pointer;
import jnr.ffi.annotations.Delegate;
import jnr.ffi.annotations.SaveError;

/**
 * The libbpf 1.1 functions xnet calls (libbpf.so.1). Integer functions return -errno; pointer
 * functions return NULL and set errno. Only {@link Bpf} calls these (public only because jnr-ffi
 * generates the implementation in another class loader).
 */
public interface LibBpf {

    interface PrintCallback {
        @Delegate
        int print(int level, Pointer format, Pointer args);
    }

    Pointer libbpf_set_print(PrintCallback callback);

    /** ring_buffer_sample_fn: one record of a ring buffer map; a non-zero return stops the poll. */
    interface RingSample {
        @Delegate
        int sample(Pointer context, Pointer data, long size);
    }

    @SaveError
    Pointer ring_buffer__new(int mapFd, RingSample sample, Pointer context, Pointer opts);

    int ring_buffer__poll(Pointer ring, int timeoutMs);

    void ring_buffer__free(Pointer ring);

    @SaveError
    Pointer bpf_object__open_mem(Pointer buffer, long size, Pointer opts);

    int bpf_object__load(Pointer object);

    void bpf_object__close(Pointer object);

    Pointer bpf_object__find_program_by_name(Pointer object, String name);

    int bpf_program__fd(Pointer program);

    Pointer bpf_object__find_map_by_name(Pointer object, String name);

    int bpf_map__fd(Pointer map);

    int bpf_map__set_max_entries(Pointer map, int maxEntries);

    int bpf_map__reuse_fd(Pointer map, int fd);

    int bpf_map_update_elem(int fd, Pointer key, Pointer value, long flags);

    int bpf_map_lookup_elem(int fd, Pointer key, Pointer value);

    int bpf_map_delete_elem(int fd, Pointer key);

    int bpf_map_get_next_key(int fd, Pointer key, Pointer nextKey);

    int bpf_map_update_batch(int fd, Pointer keys, Pointer values, Pointer count, Pointer opts);

    int bpf_map_delete_batch(int fd, Pointer keys, Pointer count, Pointer opts);

    int bpf_obj_pin(int fd, String path);

    int bpf_obj_get(String path);

    int bpf_obj_get_info_by_fd(int fd, Pointer info, Pointer infoLength);

    int bpf_prog_test_run_opts(int fd, Pointer opts);

    int bpf_link_create(int progFd, int targetFd, int attachType, Pointer opts);

    int bpf_link_update(int linkFd, int newProgFd, Pointer opts);

    int bpf_prog_get_fd_by_id(int id);

    int bpf_map_get_fd_by_id(int id);

    int libbpf_num_possible_cpus();
}
