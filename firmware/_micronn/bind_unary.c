// Hand-written bindings of the MATH area's unary ops: unary_s8 (a table lookup that refuses
// inputs below params.min_input, as TFLite Micro fails RSQRT int8 on them). Argument order and
// checks match host_tools/reference/unary.py.
#include "micronn_config.h"
#if MICRONN_OP_MATH

#include "py/obj.h"
#include "py/runtime.h"

#include "micronn.h"
#include "mn_args.h"
#include "bind_unary.h"

// unary_s8(input, table, output, params)
static mp_obj_t mn_py_unary_s8(size_t n_args, const mp_obj_t *args) {
    (void)n_args;
    const int32_t *p = mn_get_params(args[3], mn_unarys8_spec, MN_UNARYS8_NPARAMS);
    mp_int_t n = mn_buf_count(args[0], "input", MN_I8);
    const int8_t *input = mn_get_buf(args[0], "input", MN_I8, n, false);
    const int8_t *table = mn_get_buf(args[1], "table", MN_I8, 256, false);
    int8_t *output = mn_get_buf(args[2], "output", MN_I8, n, true);
    if (!mn_unary_s8(input, table, output, (int32_t)n, p)) {
        mp_raise_msg_varg(&mp_type_ValueError, MP_ERROR_TEXT("input: a value below %d (RSQRT int8 is only defined "
                                                             "from the input zero point)"), (int)p[MN_UNARYS8_MIN_INPUT]);
    }
    return mp_const_none;
}
MP_DEFINE_CONST_FUN_OBJ_VAR_BETWEEN(mn_py_unary_s8_obj, 4, 4, mn_py_unary_s8);

#endif // MICRONN_OP_MATH
