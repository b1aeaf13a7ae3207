/* The tables `patchlit emit` generates for a scenario (scenario.c) and the runtime that
 * runs it (runtime.c) agree on these. Addresses named "scenario" are the notebook's; the
 * program runs the scenario's code HW_DELTA bytes away from them (see scenario.c). */
#include <stdint.h>

typedef uint64_t u64;
typedef uint32_t u32;
typedef uint16_t u16;
typedef uint8_t u8;

#define HW_MAX_HARTS 8
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

/* A stub: reaching it records a call and returns through register return_reg. */
struct hw_stub {
  u64 addr;
  u64 return_reg;
  const char *name;
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

/* The endings' words (verdict/words.ts endingText) with %p (an address), %h (a hart) and %x (instruction bits). */
struct hw_endings {
  const char *complete, *illegal, *wild, *breakpoint, *ecall;
};

extern const char hw_scenario_name[];
extern const u64 hw_harts, hw_tasks_n, hw_patchers, hw_iterations, hw_seed, hw_delta;
extern const struct hw_task hw_tasks[];
extern const u64 hw_regions_n;
extern const struct hw_region hw_regions[];
extern const u64 hw_stubs_n;
extern const struct hw_stub hw_stubs[];
extern const u64 hw_names_n;
extern const struct hw_name hw_names[];
extern const u64 hw_fixups_n;
extern const struct hw_fixup hw_fixups[];
/* Groups of interchangeable tasks, each: its size, then its task indices; a 0 ends the list. */
extern const u64 hw_groups[];
extern const struct hw_endings hw_endings;

/* The patching hart's steps (steps.S). */
void hw_patch(void);

/* What steps.S calls. Flags of hw_ipi: */
#define HW_IPI_SYNC 1
#define HW_IPI_FENCE 2
#define HW_IPI_RELAXED 4
#define HW_IPI_BARE 8
void hw_step_delay(void);
void hw_ipi(u64 targets, u64 flags);
void hw_stop(void);
void hw_restart(void);
void hw_wait(u64 addr, u64 size, u64 value);
