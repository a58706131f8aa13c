// The RP2040's second Cortex-M0+ core for rp2040js (1.4.1 models core 0 only: one CortexM0Core,
// SIO CPUID 0, no inter-core FIFOs). Used by run.mjs.
//
// Core 1 is a second CortexM0Core on the same RP2040 object, so it shares the bus (boot ROM,
// flash, SRAM, peripherals). While it executes, `mcu.core` points at it: what rp2040js reaches
// through `rp2040.core` (the PPB's NVIC/SCB registers, the divider's cycle cost) is then core
// 1's. Per core, as on the chip: CPUID, the NVIC, the hardware divider and the two
// interpolators. Shared: the spinlocks, GPIO, everything outside the SIO.
// Peripheral interrupts go to both NVICs; SIO_IRQ_PROC0/1 (15/16) only to their core.
//
// Inter-core FIFOs (SIO FIFO_ST/WR/RD): two 8-word queues; FIFO_ST has VLD (this core's receive
// queue has data), RDY (the other core's is not full), WOF (written when full) and ROE (read when
// empty), the last two sticky until written with 1; SIO_IRQ_PROC<n> is raised while core n's
// VLD, WOF or ROE is set. SEV sets the event register of both cores (and wakes one in WFE/WFI).
//
// Core 1's boot: it starts in the boot ROM's wait, emulated here rather than run: when PSM
// FRCE_OFF.proc1 is released (multicore_reset_core1) it empties its receive queue and sends 0;
// then each word received is echoed, and after the sequence 0, 0, 1, vector table, stack
// pointer, entry (multicore_launch_core1) it starts at entry with VTOR, MSP set and LR at a
// return address that puts it back into the wait. While core 1 is held in reset or waits in
// the ROM it executes nothing.
//
// Scheduling (step()): whichever core has the lower cycle count executes; a core waiting in
// WFE/WFI keeps the other's count. So core 0's count is the wall time of both: while core 0
// waits for core 1, its count advances with core 1's.

// rp2040js exports neither class: both are taken from the instances the RP2040 made.

const SIO_CPUID = 0x000;
const SIO_FIFO_ST = 0x050;
const SIO_FIFO_WR = 0x054;
const SIO_FIFO_RD = 0x058;
const SIO_PER_CORE_LO = 0x060; // divider and interpolators: 0x060..0x0ff
const SIO_PER_CORE_HI = 0x100;
const FIFO_DEPTH = 8;
const IRQ_SIO_PROC0 = 15;
const PSM_FRCE_OFF = 0x04;
const PSM_PROC1 = 1 << 16;
const ROM_RETURN = 0x000000fc; // core 1's LR: returning there goes back to the ROM wait
const LAUNCH_SYNC = [0, 0, 1];

export class Core1 {
  constructor(mcu) {
    this.mcu = mcu;
    this.core0 = mcu.core;
    this.CortexM0Core = mcu.core.constructor;
    this.core1 = new this.CortexM0Core(mcu);
    this.cores = [this.core0, this.core1];
    this.state = 'rom'; // 'reset' | 'rom' | 'running'
    this.rx = [[], []]; // rx[n]: words for core n
    this.wof = [false, false];
    this.roe = [false, false];
    this.seq = 0; // words of the launch sequence received
    this.args = [];
    this.steps1 = 0; // instructions core 1 executed
    this.sharedSio = mcu.sio;
    this.sioOf = [mcu.sio, new mcu.sio.constructor(mcu)];
    this.installSio();
    this.installInterrupts();
    this.installPsm();
  }

  get current() {
    return this.mcu.core === this.core1 ? 1 : 0;
  }

  installSio() {
    const self = this;
    const shared = this.sharedSio;
    this.mcu.sio = {
      readUint32(offset) {
        const c = self.current;
        if (offset === SIO_CPUID) return c;
        if (offset === SIO_FIFO_ST) return self.fifoStatus(c);
        if (offset === SIO_FIFO_RD) return self.fifoRead(c);
        if (offset === SIO_FIFO_WR) return 0;
        if (offset >= SIO_PER_CORE_LO && offset < SIO_PER_CORE_HI) return self.sioOf[c].readUint32(offset);
        return shared.readUint32(offset);
      },
      writeUint32(offset, value) {
        const c = self.current;
        if (offset === SIO_FIFO_ST) {
          if (value & 4) self.wof[c] = false;
          if (value & 8) self.roe[c] = false;
          self.updateIrq(c);
        } else if (offset === SIO_FIFO_WR) {
          self.fifoWrite(c, value >>> 0);
        } else if (offset === SIO_CPUID || offset === SIO_FIFO_RD) {
          // read-only
        } else if (offset >= SIO_PER_CORE_LO && offset < SIO_PER_CORE_HI) {
          self.sioOf[c].writeUint32(offset, value);
        } else {
          shared.writeUint32(offset, value);
        }
      },
    };
  }

  installInterrupts() {
    const self = this;
    this.mcu.setInterrupt = function (irq, value) {
      if (irq === IRQ_SIO_PROC0 || irq === IRQ_SIO_PROC0 + 1) {
        self.cores[irq - IRQ_SIO_PROC0].setInterrupt(irq, value);
      } else {
        self.core0.setInterrupt(irq, value);
        self.core1.setInterrupt(irq, value);
      }
    };
  }

  installPsm() {
    const psm = this.mcu.peripherals[0x40010];
    const write = psm.writeUint32.bind(psm);
    psm.writeUint32 = (offset, value) => {
      const before = psm.frceOff & PSM_PROC1;
      write(offset, value);
      if (offset !== PSM_FRCE_OFF) return;
      const after = psm.frceOff & PSM_PROC1;
      if (after && !before) {
        this.state = 'reset';
      } else if (before && !after) {
        this.enterRom(true);
      }
    };
  }

  fifoStatus(c) {
    return (this.rx[c].length ? 1 : 0) | (this.rx[1 - c].length < FIFO_DEPTH ? 2 : 0) |
      (this.wof[c] ? 4 : 0) | (this.roe[c] ? 8 : 0);
  }

  fifoRead(c) {
    const q = this.rx[c];
    let v = 0;
    if (q.length) {
      v = q.shift();
    } else {
      this.roe[c] = true;
    }
    this.updateIrq(c);
    return v;
  }

  fifoWrite(c, value) {
    const q = this.rx[1 - c];
    if (q.length >= FIFO_DEPTH) {
      this.wof[c] = true;
      this.updateIrq(c);
      return;
    }
    q.push(value);
    this.updateIrq(1 - c);
    if (c === 0 && this.state === 'rom') this.romReceive();
  }

  updateIrq(c) {
    const level = this.rx[c].length > 0 || this.wof[c] || this.roe[c];
    this.cores[c].setInterrupt(IRQ_SIO_PROC0 + c, level);
  }

  // SEV from either core: both event registers set; a waiting core wakes.
  sev() {
    for (const core of this.cores) {
      if (core.waiting) {
        core.waiting = false;
      } else {
        core.eventRegistered = true;
      }
    }
  }

  // The boot ROM's core 1 wait. fresh: out of reset, so it empties its queue and sends 0.
  enterRom(fresh) {
    this.state = 'rom';
    this.seq = 0;
    this.args = [];
    if (fresh) {
      this.rx[1] = [];
      this.updateIrq(1);
      this.fifoWriteFrom1(0);
    }
  }

  fifoWriteFrom1(value) {
    const q = this.rx[0];
    if (q.length >= FIFO_DEPTH) return; // the ROM blocks; core 0 drains before it sends
    q.push(value);
    this.updateIrq(0);
    this.sev();
  }

  romReceive() {
    while (this.state === 'rom' && this.rx[1].length) {
      const w = this.rx[1].shift();
      this.updateIrq(1);
      if (w === 0) {
        this.rx[0] = []; // the ROM drains its queue on 0, and core 0 drains its own
        this.updateIrq(0);
      }
      this.fifoWriteFrom1(w);
      if (this.seq < LAUNCH_SYNC.length) {
        this.seq = w === LAUNCH_SYNC[this.seq] ? this.seq + 1 : w === 0 ? 1 : 0;
        continue;
      }
      this.args.push(w);
      if (this.args.length === 3) this.launch(...this.args);
    }
  }

  launch(vectorTable, sp, entry) {
    // a core fresh out of reset; its pending interrupt lines follow core 0's
    const c = new this.CortexM0Core(this.mcu);
    c.pendingInterrupts = this.core0.pendingInterrupts & ~(3 << IRQ_SIO_PROC0);
    this.core1 = c;
    this.cores[1] = c;
    this.updateIrq(1);
    c.VTOR = vectorTable >>> 0;
    c.SP = sp >>> 0; // MSP: a core out of reset runs on the main stack
    c.registers[14] = ROM_RETURN | 1;
    c.PC = entry & ~1;
    c.cycles = this.core0.cycles;
    this.state = 'running';
  }

  // One scheduling step: returns false when core 1 did not need a turn (core 0's turn).
  stepCore1() {
    if (this.state !== 'running') return false;
    const c1 = this.core1;
    if (c1.waiting) {
      c1.cycles = this.core0.cycles;
      return false;
    }
    if (c1.cycles >= this.core0.cycles && !this.core0.waiting) return false;
    if (c1.PC === ROM_RETURN) {
      this.enterRom(false);
      return false;
    }
    const mcu = this.mcu;
    mcu.core = c1;
    try {
      c1.executeInstruction();
    } finally {
      mcu.core = this.core0;
    }
    this.steps1++;
    return true;
  }
}
