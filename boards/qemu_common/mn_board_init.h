// micronn QEMU boards: force-included into every C file of the build (mn_board.mk) to hook
// mn_board_init() into mp_init(), which runs it after every reset and soft reset. No py/ header.
#ifndef MN_BOARD_INIT_H
#define MN_BOARD_INIT_H

void mn_board_init(void);
#define MICROPY_PORT_INIT_FUNC mn_board_init()

#endif // MN_BOARD_INIT_H
