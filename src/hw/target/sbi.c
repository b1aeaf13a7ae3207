/* The machine under the runtime in supervisor mode, through the SBI (v0.2 and later; on
 * QEMU, the OpenSBI that -bios default loads; on a board, its firmware): output through
 * the debug console (or the legacy putchar), IPIs and the remote fence.i through the IPI
 * and RFENCE extensions, the other harts started through HSM, power off through SRST.
 * The runtime's hart indices are the machine's hart ids in ascending order, those HSM
 * knows (a board's monitor core without supervisor mode is not among them). */
#include "hw.h"

#define EXT_BASE 0x10
#define EXT_LEGACY_PUTCHAR 0x01
#define EXT_LEGACY_SHUTDOWN 0x08
#define EXT_IPI 0x735049
#define EXT_RFENCE 0x52464E43
#define EXT_HSM 0x48534D
#define EXT_SRST 0x53525354
#define EXT_DBCN 0x4442434E
#define BASE_PROBE 3
#define HSM_START 0
#define HSM_STATUS 2
#define DBCN_WRITE_BYTE 2
#define MAX_HART_ID 64

struct sbiret {
  long error;
  long value;
};

static struct sbiret sbi(u64 ext, u64 fid, u64 a0, u64 a1, u64 a2) {
  register u64 r0 __asm__("a0") = a0;
  register u64 r1 __asm__("a1") = a1;
  register u64 r2 __asm__("a2") = a2;
  register u64 r6 __asm__("a6") = fid;
  register u64 r7 __asm__("a7") = ext;
  __asm__ volatile("ecall" : "+r"(r0), "+r"(r1) : "r"(r2), "r"(r6), "r"(r7) : "memory");
  return (struct sbiret){(long)r0, (long)r1};
}

static int has(u64 ext) { return sbi(EXT_BASE, BASE_PROBE, ext, 0, 0).value != 0; }

static u64 hart_ids[HW_MAX_HARTS];
static int dbcn = -1;

void hw_putc(char c) {
  if (dbcn < 0) dbcn = has(EXT_DBCN);
  if (dbcn) sbi(EXT_DBCN, DBCN_WRITE_BYTE, (u8)c, 0, 0);
  else sbi(EXT_LEGACY_PUTCHAR, 0, (u8)c, 0, 0);
}

/* The machine's hart ids of the runtime's harts in the mask, as an SBI hart mask from 0. */
static u64 hart_mask(u64 harts) {
  u64 mask = 0;
  for (u64 h = 0; h < HW_MAX_HARTS; h++)
    if (harts >> h & 1) mask |= 1ull << hart_ids[h];
  return mask;
}

void hw_send_ipi(u64 harts) { sbi(EXT_IPI, 0, hart_mask(harts), 0, 0); }

void hw_clear_ipi(u64 hart) {
  (void)hart;
  __asm__ volatile("csrc sip, %0" ::"r"((u64)XIE_SOFT) : "memory");
}

/* OpenSBI raises a supervisor IPI in the target's machine-mode handler, which takes every
 * event pending for the hart at once, the supervisor IPI before the fence.i. A remote
 * fence.i, which returns once the targets have run it, so returns after every IPI sent
 * before it has become the target's pending SSIP, which a hart with interrupts on takes
 * before its next instruction. (A firmware that did otherwise could leave an SSIP for the
 * next iteration; the runtime takes an IPI with no request for a spurious one.) */
void hw_settle_ipis(u64 harts) { hw_remote_fence_i(harts); }

void hw_remote_fence_i(u64 harts) { sbi(EXT_RFENCE, 0, hart_mask(harts), 0, 0); }

void hw_halt(int failed) {
  /* The firmware's console has taken the last line; give it time to pass it on. */
  hw_pause();
  if (has(EXT_SRST)) sbi(EXT_SRST, 0, 0, failed ? 1 : 0, 0);
  sbi(EXT_LEGACY_SHUTDOWN, 0, 0, 0, 0);
  for (;;) __asm__ volatile("wfi");
}


extern void hw_secondary(void);

/* On the hart the firmware started (hart id `self`): the runtime's harts chosen (this one
 * and the lowest other ids HSM knows), the others started at hw_secondary with their
 * index; returns this hart's index. */
u64 hw_boot(u64 self) {
  u64 n = 0, mine = 0;
  if (!has(EXT_HSM) || !has(EXT_IPI) || !has(EXT_RFENCE)) {
    hw_puts("patchlit hw: internal error: the firmware lacks the SBI HSM, IPI or RFENCE extension\n");
    hw_halt(1);
  }
  /* hart_get_status fails for an id that is no hart of this supervisor. */
  for (u64 id = 0, others = 0; id < MAX_HART_ID && n < hw_harts; id++) {
    if (id == self) mine = n, hart_ids[n++] = id;
    else if (others < hw_harts - 1 && sbi(EXT_HSM, HSM_STATUS, id, 0, 0).error == 0) others++, hart_ids[n++] = id;
  }
  if (n < hw_harts || self >= MAX_HART_ID) {
    hw_puts("patchlit hw: internal error: the program needs ");
    hw_putu(hw_harts);
    hw_puts(" harts with ids below 64; the firmware started hart ");
    hw_putu(self);
    hw_puts(" and knows ");
    hw_putu(n);
    hw_puts("\n");
    hw_halt(1);
  }
  __asm__ volatile("fence rw,rw" ::: "memory");
  for (u64 h = 0; h < n; h++)
    if (h != mine) {
      struct sbiret r = sbi(EXT_HSM, HSM_START, hart_ids[h], (u64)hw_secondary, h);
      if (r.error) {
        hw_puts("patchlit hw: internal error: HSM could not start hart ");
        hw_putu(hart_ids[h]);
        hw_puts("\n");
        hw_halt(1);
      }
    }
  return mine;
}
