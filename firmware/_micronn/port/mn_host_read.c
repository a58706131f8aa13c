// _micronn.host_read(path) -> bytes: a whole host file, through ARM semihosting
// (QEMU boards only; the path is relative to QEMU's working directory).
// mod_micronn.c lists it in the module table under MICRONN_PORT_CORTEXM_SYSTICK.
#if defined(MICRONN_PORT_CORTEXM_SYSTICK)
#include "py/runtime.h"
#include "py/mperrno.h"

long mn_port_host_read(const char *path, void *buf, size_t cap); // mn_port_cortexm.c

static mp_obj_t mn_py_host_read(mp_obj_t path_in) {
    const char *path = mp_obj_str_get_str(path_in);
    long size = mn_port_host_read(path, NULL, 0);
    if (size < 0) {
        mp_raise_OSError_with_filename(MP_ENOENT, path);
    }
    // The data lands at the start of a GC block: 16-byte aligned, so int32
    // constants in it can be used in place.
    vstr_t vstr;
    vstr_init_len(&vstr, (size_t)size);
    long got = mn_port_host_read(path, vstr.buf, (size_t)size);
    if (got != size) {
        vstr_clear(&vstr);
        mp_raise_OSError_with_filename(MP_EIO, path);
    }
    return mp_obj_new_bytes_from_vstr(&vstr);
}
MP_DEFINE_CONST_FUN_OBJ_1(mn_py_host_read_obj, mn_py_host_read);

#endif // MICRONN_PORT_CORTEXM_SYSTICK
