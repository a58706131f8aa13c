// Runs an RP2040 firmware (UF2) in the rp2040js emulator, with MicroPython's USB CDC serial port on
// this process's stdin/stdout. Used by host_tools/device/boards.py (board RPI_PICO), as QEMU's
// stdio UART is used for the QEMU boards.
//
//   node run.mjs --bootrom B.bin --uf2 firmware.uf2 [--romfs IMAGE --romfs-addr 0x100C0000]
//
// The boot ROM (not shipped by rp2040js) is loaded at 0, the UF2's blocks into flash, and an
// optional ROMFS image into flash at its partition before the core starts (the emulator does not
// program flash, so the board cannot write it). Emulated cycles (mcu.core.cycles) are readable by
// the firmware at CYCLES_BASE: a 32-bit load of +0 returns the low word and latches the high word
// at +4 (`machine.mem32[0x40068000]`). That address is a hole in the RP2040's APB map; only the
// emulator answers there. Diagnostics go to stderr; the exit status is 2 on an emulator error.

import { readFileSync } from 'node:fs';
import { ConsoleLogger, LogLevel, RP2040, USBCDC } from 'rp2040js';
import { Core1 } from './core1.mjs';

const CYCLES_BASE = 0x40068000;
const VREG_AND_CHIP_RESET_BASE = 0x40064000;
const FLASH_BASE = 0x10000000;
const UF2_MAGIC = [0x0a324655, 0x9e5d5157, 0x0ab16f30];
const CHUNK = 100000; // instructions between looks at stdin

function parseArgs(argv) {
  const a = {};
  for (let i = 0; i < argv.length; i += 2) {
    if (!argv[i].startsWith('--') || i + 1 >= argv.length) {
      throw new Error(`bad argument ${argv[i]}`);
    }
    a[argv[i].slice(2)] = argv[i + 1];
  }
  for (const k of ['bootrom', 'uf2']) {
    if (!a[k]) throw new Error(`--${k} is required`);
  }
  return a;
}

function loadUF2(mcu, data) {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  if (data.length % 512) throw new Error(`UF2 of ${data.length} bytes, not a multiple of 512`);
  for (let off = 0; off < data.length; off += 512) {
    const magic = [view.getUint32(off, true), view.getUint32(off + 4, true), view.getUint32(off + 508, true)];
    if (magic.some((m, i) => m !== UF2_MAGIC[i])) throw new Error(`UF2 block at ${off}: bad magic`);
    const addr = view.getUint32(off + 12, true);
    const n = view.getUint32(off + 16, true);
    if (addr < FLASH_BASE || addr + n > FLASH_BASE + mcu.flash.length || n > 476) {
      throw new Error(`UF2 block at ${off}: ${n} bytes at 0x${addr.toString(16)}, outside flash`);
    }
    mcu.flash.set(data.subarray(off + 32, off + 32 + n), addr - FLASH_BASE);
  }
}

class CycleCounter {
  constructor(mcu) {
    this.mcu = mcu;
    this.high = 0;
  }
  readUint32(offset) {
    if (offset === 0) {
      const c = this.mcu.core.cycles;
      this.high = Math.floor(c / 2 ** 32);
      return c % 2 ** 32;
    }
    return offset === 4 ? this.high : 0;
  }
  writeUint32() {}
  writeUint32Atomic() {}
}

// Registers that read back what was written (reset value 0): rp2040js leaves VREG_AND_CHIP_RESET
// unimplemented (reads 0xffffffff), so the boot ROM would see CHIP_RESET.PSM_RESTART_FLAG set
// and wait for a debugger forever.
class PlainRegisters {
  constructor() {
    this.regs = new Map();
  }
  readUint32(offset) {
    return this.regs.get(offset & 0xfff) || 0;
  }
  writeUint32(offset, value) {
    this.regs.set(offset & 0xfff, value >>> 0);
  }
  writeUint32Atomic(offset, value, atomicType) {
    const old = this.readUint32(offset);
    const v = [value, old ^ value, old | value, old & ~value][atomicType];
    this.writeUint32(offset, v);
  }
}

class StderrLogger extends ConsoleLogger {
  formatMessage(component, message) {
    return `[rp2040js ${component}] ${message}`;
  }
  debug() {}
  // rp2040js's only trace of SEV is this message: the second core hooks it.
  info(component, message) {
    if (message === 'SEV' && this.onSev) this.onSev();
  }
  warn(component, message) {
    if (process.env.MICRONN_EMU_VERBOSE) process.stderr.write(this.formatMessage(component, message) + '\n');
  }
  error(component, message) {
    process.stderr.write(this.formatMessage(component, message) + '\n');
    throw new Error(`[${component}] ${message}`);
  }
}

function main() {
  const a = parseArgs(process.argv.slice(2));
  const mcu = new RP2040();
  mcu.logger = new StderrLogger(LogLevel.Warn, true);
  const rom = readFileSync(a.bootrom);
  mcu.loadBootrom(new Uint32Array(rom.buffer, rom.byteOffset, rom.byteLength / 4));
  loadUF2(mcu, readFileSync(a.uf2));
  if (a.romfs) {
    const img = readFileSync(a.romfs);
    const addr = Number(a['romfs-addr']);
    if (!(addr >= FLASH_BASE) || addr + img.length > FLASH_BASE + mcu.flash.length) {
      throw new Error(`--romfs-addr ${a['romfs-addr']}: not in flash`);
    }
    mcu.flash.set(img, addr - FLASH_BASE);
  }
  mcu.peripherals[(CYCLES_BASE >>> 14) << 2] = new CycleCounter(mcu);
  mcu.peripherals[(VREG_AND_CHIP_RESET_BASE >>> 14) << 2] = new PlainRegisters();

  // Start at the flash's second-stage boot loader, as the boot ROM does after its checks (its
  // BOOTSEL test reads QSPI pins that the emulator does not model); the ROM's functions and
  // tables stay in place for the firmware.
  mcu.core.PC = FLASH_BASE;
  const core0 = mcu.core;
  const dual = new Core1(mcu);
  mcu.logger.onSev = () => dual.sev();

  const cdc = new USBCDC(mcu.usbCtrl);
  const pending = [];
  let pendingAt = 0;
  let connected = false;
  cdc.onDeviceConnected = () => {
    connected = true;
  };
  cdc.onSerialData = (buf) => {
    process.stdout.write(Buffer.from(buf));
  };
  let stdinOpen = true;
  process.stdin.on('data', (chunk) => pending.push(chunk));
  process.stdin.on('end', () => {
    stdinOpen = false;
  });

  // Host bytes go into the CDC's 512-byte receive FIFO only as fast as the firmware drains it.
  function feed() {
    const fifo = cdc.txFIFO;
    while (pending.length && !fifo.full) {
      const head = pending[0];
      cdc.sendSerialByte(head[pendingAt++]);
      if (pendingAt >= head.length) {
        pending.shift();
        pendingAt = 0;
      }
    }
  }

  const clock = mcu.clock;
  const cycleNanos = 1e9 / 125e6;
  function run() {
    try {
      if (connected) feed();
      for (let i = 0; i < CHUNK; i++) {
        if (dual.stepCore1()) {
          // core 0 waiting: its clock (the wall time) follows core 1's
          if (core0.waiting && dual.core1.cycles > core0.cycles) {
            const d = dual.core1.cycles - core0.cycles;
            core0.cycles = dual.core1.cycles;
            clock.tick(d * cycleNanos);
          }
          continue;
        }
        if (core0.waiting) {
          const dt = clock.nanosToNextAlarm;
          if (dt <= 0 || !isFinite(dt)) break;
          clock.tick(dt);
          i += dt / cycleNanos;
        } else {
          clock.tick(core0.executeInstruction() * cycleNanos);
        }
      }
    } catch (e) {
      process.stderr.write(`[micronn emu] ${e.stack || e}\n`);
      process.exit(2);
    }
    if (!stdinOpen && !pending.length) {
      if (process.env.MICRONN_EMU_VERBOSE) {
        process.stderr.write(`[micronn emu] core 1 executed ${dual.steps1} instructions\n`);
      }
      process.exit(0);
    }
    setImmediate(run);
  }
  run();
}

main();
