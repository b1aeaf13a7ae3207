/* The tables `patchlit emit` generates for a scenario (scenario.c) and the runtime that
 * runs it (runtime.c) agree on these. Addresses named "scenario" are the notebook's; the
 * program runs the scenario's code HW_DELTA bytes away from them (see scenario.c). */
#include <stdint.h>
#include "mode.h"

typedef uint64_t u64;
typedef uint32_t u32;
typedef uint16_t u16;
typedef uint8_t u8;

#define HW_MAX_CALLS 64

/* A remote hart's task: where it starts and idles (hardware addresses), its registers. */
struct hw_task {
  u64 start;
  u64 idle;
  u64 ipi_while_running;
  u64 regs[32];
  const char *name;
};

/* A code or data region: where it lies, and the bytes it starts every iteration with. */
struct hw_region {
  u64 addr;
  u64 len;
  const u8 *init;
  u64 code;
};

/* A stub: reaching it records a call, does its service (a kernel routine's IPI, SBI
 * call or lock) for the hart that called it, and returns through register return_reg. */
enum { HW_SERVICE_NONE, HW_SERVICE_IPI, HW_SERVICE_SBI, HW_SERVICE_LOCK, HW_SERVICE_UNLOCK };
struct hw_stub {
  u64 addr;
  u64 return_reg;
  const char *name;
  u64 service;
  u64 targets; /* the harts an IPI or SBI call goes to (the caller left out) */
  u64 flags;   /* an IPI's HW_IPI_* */
  u64 lock;
};

/* A scenario address and how patchlit names it (`func+0x4`). */
struct hw_name {
  u64 scenario_addr;
  const char *text;
};

/* A trap-return fixup: when (word at mepc & mask) == match, resume at mepc + adjust. */
struct hw_fixup {
  u32 mask, match;
  u64 adjust;
  u64 on_ipi, on_stop;
  u64 n_at;
  const u64 *at; /* scenario addresses */
  u64 n_ranges;
  const u64 *ranges; /* [start, end) pairs, scenario addresses */
};

/* A final value the outcome line shows: a task's register at its idle point (size 0), or
 * memory after the iteration; `before` its words before the value ("cpu1:a0="). */
struct hw_final {
  const char *before;
  u64 size;
  u64 hart;
  u64 reg;
  u64 addr;
};

/* The endings' words (verdict/words.ts endingText) with %p (an address), %h (a hart), %x
 * (instruction bits), %f and %t (a jump's ends), %a (the address an access faulted at). */
struct hw_endings {
  const char *complete, *illegal, *wild, *breakpoint, *ecall, *load_fault, *store_fault;
};

extern const char hw_scenario_name[];
extern const u64 hw_harts, hw_tasks_n, hw_patchers, hw_iterations, hw_seed;
/* Timebase ticks an iteration may take before the watchdog takes it for one that does not end. */
extern const u64 hw_watchdog_ticks;
/* A cluster of the scenario's pieces where the machine has it: hw_lo..hw_hi, the scenario's addresses plus delta. */
struct hw_cluster {
  u64 hw_lo, hw_hi, delta;
};
extern const u64 hw_clusters_n;
extern const struct hw_cluster hw_clusters[];
extern const struct hw_task hw_tasks[];
extern const u64 hw_regions_n;
extern const struct hw_region hw_regions[];
extern const u64 hw_stubs_n;
extern const struct hw_stub hw_stubs[];
extern const u64 hw_names_n;
extern const struct hw_name hw_names[];
extern const u64 hw_fixups_n;
extern const struct hw_fixup hw_fixups[];
extern const u64 hw_finals_n;
extern const struct hw_final hw_finals[];
extern const char hw_finals_after[];
extern const u64 hw_value_names_n;
extern const struct hw_name hw_value_names[];
extern const u64 hw_large_values_hex;
/* Groups of interchangeable tasks, each: its size, then its task indices; a 0 ends the list. */
extern const u64 hw_groups[];
extern const struct hw_endings hw_endings;
/* The IPI handler runs FENCE.I before it loads the request (every IPI step's handler: bare). */
extern const u64 hw_ipi_bare_handler;

/* The patching hart's steps (steps.S). */
void hw_patch(void);

/* What steps.S calls. Flags of hw_ipi: */
#define HW_IPI_SYNC 1
#define HW_IPI_FENCE 2
#define HW_IPI_RELAXED 4
void hw_step_delay(void);
void hw_ipi(u64 targets, u64 flags);
void hw_stop(void);
void hw_restart(void);
void hw_wait(u64 addr, u64 size, u64 value);
#define HW_MAX_LOCKS 8
#define HW_MAX_HANDLERS 8
/* A trap handler (kprobes): taken for a trap of this cause (2 illegal instruction, 3
 * breakpoint) at `at` (or anywhere), while registered; it runs FENCE.I if it says so and
 * emulate() (scenario.c) gives the registers the emulated instructions' effects and
 * returns where the hart resumes. */
struct hw_handler {
  u64 cause, placed, at, fence_i, registered;
  u64 (*emulate)(u64 *regs, u64 at, u64 len);
  const char *name;
};
extern const u64 hw_handlers_n;
extern const struct hw_handler hw_handlers[];
/* register: NAME (on 1) and unregister: NAME (on 0). */
void hw_register(u64 handler, u64 on);
void hw_lock(u64 lock);
void hw_unlock(u64 lock);

/* What the machine does for the runtime: bare.c on bare metal, sbi.c under SBI firmware.
 * Harts are named by their index in the runtime (0 patches, 1..N run the tasks). */
void hw_putc(char c);
/* runtime.c's: a string, a number in decimal, through hw_putc. */
void hw_puts(const char *s);
void hw_putu(u64 v);
/* Raises the software interrupt on the harts in the mask (bit h: hart h). */
void hw_send_ipi(u64 harts);
/* Clears this hart's pending software interrupt (hart: its index). */
void hw_clear_ipi(u64 hart);
/* Returns once no interrupt sent to these harts can still arrive unless they take it. */
void hw_settle_ipis(u64 harts);
/* The SBI remote fence.i call: returns once the harts have run FENCE.I (sbi.c only). */
void hw_remote_fence_i(u64 harts);
/* Waits about 10 ms (2^17 timebase ticks at QEMU's 10 MHz): the console's last bytes out before power off. */
void hw_pause(void);
/* Powers the machine off; failed: after an internal error. */
void hw_halt(int failed) __attribute__((noreturn));
