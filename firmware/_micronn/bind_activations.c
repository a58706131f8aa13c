// Bindings of the activations area: table-lookup activations (PRELU's binding is generated:
// bind_spec_activations.c).
#include "micronn_config.h"
#if MICRONN_OP_ACTIVATIONS

#include "py/obj.h"
#include "py/runtime.h"

#include "micronn.h"
#include "mn_args.h"
#include "bind_activations.h"

// lut_s8(input, output, table): output[i] = table[uint8(input[i])]
static mp_obj_t mn_py_lut_s8(mp_obj_t in_obj, mp_obj_t out_obj, mp_obj_t table_obj) {
    mp_int_t n = mn_buf_count(in_obj, "input", MN_I8);
    const int8_t *input = mn_get_buf(in_obj, "input", MN_I8, n, false);
    int8_t *output = mn_get_buf(out_obj, "output", MN_I8, n, true);
    const int8_t *table = mn_get_buf(table_obj, "table", MN_I8, 256, false);
    mn_lut_s8(input, output, (int32_t)n, table);
    return mp_const_none;
}
MP_DEFINE_CONST_FUN_OBJ_3(mn_py_lut_s8_obj, mn_py_lut_s8);

#endif // MICRONN_OP_ACTIVATIONS
