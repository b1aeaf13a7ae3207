/* The machine under the runtime on bare metal: QEMU's virt machine in machine mode with
 * no firmware. Output on its 16550 UART, IPIs through the CLINT's MSIP registers, power
 * off through its test finisher. A hart's index is its mhartid. */
#include "hw.h"

#define UART ((volatile u8 *)0x10000000)
#define UART_LSR_THRE 0x20
#define UART_LSR_TEMT 0x40
#define CLINT_MSIP ((volatile u32 *)0x2000000)
#define TEST_FINISHER ((volatile u32 *)0x100000)

void hw_putc(char c) {
  while (!(UART[5] & UART_LSR_THRE)) {
  }
  UART[0] = (u8)c;
}

void hw_send_ipi(u64 harts) {
  for (u64 h = 0; h < HW_MAX_HARTS; h++)
    if (harts >> h & 1) CLINT_MSIP[h] = 1;
}

void hw_clear_ipi(u64 hart) { CLINT_MSIP[hart] = 0; }

/* An MSIP still set is an interrupt still to be taken. */
void hw_settle_ipis(u64 harts) {
  for (u64 h = 0; h < HW_MAX_HARTS; h++)
    if (harts >> h & 1)
      while (CLINT_MSIP[h]) {
      }
}

void hw_halt(int failed) {
  /* The last line out of the UART, and QEMU's time to pass it on, before the power goes. */
  while (!(UART[5] & UART_LSR_TEMT)) {
  }
  hw_pause();
  *TEST_FINISHER = failed ? (1u << 16) | 0x3333 : 0x5555;
  for (;;) __asm__ volatile("wfi");
}
