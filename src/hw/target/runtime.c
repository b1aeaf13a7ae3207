/* The runtime of the program `patchlit emit` writes: runs a scenario K times and prints
 * the histogram of its outcomes on the console, in patchlit's outcome syntax. Hart 0
 * patches; harts 1..N run the remote harts' tasks; the others only keep step. Each
 * iteration: the regions' initial bytes restored, FENCE.I on every hart, random delays,
 * the steps and the tasks, then the outcome counted. What the machine does for it (the
 * console, IPIs, power off) is in bare.c or sbi.c; the mode's registers in mode.h. */
#include "hw.h"

#define MAX_OUTCOMES 64
#define LINE_BYTES 512

__attribute__((aligned(16))) u8 hw_stacks[HW_MAX_HARTS + 1][HW_STACK_BYTES];
u64 hw_task_sp[HW_MAX_HARTS];

/* What each task called in this iteration, and the first crash (0: none yet). */
static volatile u64 calls_n[HW_MAX_HARTS];
static volatile u16 calls[HW_MAX_HARTS][HW_MAX_CALLS];
static volatile u64 ending_kind;
/* Each task's registers at its idle point: the values a final condition reads. */
static u64 final_regs[HW_MAX_HARTS][32];
enum { END_ILLEGAL = 1, END_WILD, END_BREAKPOINT, END_ECALL, END_LOAD_FAULT, END_STORE_FAULT, END_OTHER };
static u64 end_hart, end_pc, end_bits, end_from, end_from_known, end_to, end_cause;

static volatile u64 ipi_req[HW_MAX_HARTS], ipi_ack[HW_MAX_HARTS];
#define REQ_FENCEI 1
#define REQ_STOP 2
#define REQ_ABORT 4
static volatile u64 in_task[HW_MAX_HARTS], tasks_done, iteration_over;
static volatile u64 stop_parked, stop_released;
static u64 lcg[HW_MAX_HARTS];

/* The watchdog: an iteration that has not ended by its deadline (about 1.7 s at QEMU's
 * 10 MHz timebase) runs for ever, as far as the machine can tell: its outcome is a
 * deadlock ("deadlock: ?", any the model has), its looping tasks are interrupted and
 * sent home, and a wait of the patching hart gives up. */
#define WATCHDOG_TICKS hw_watchdog_ticks
static u64 deadline;
static volatile u64 hung;
static inline u64 now(void) {
  u64 t;
  __asm__ volatile("rdtime %0" : "=r"(t));
  return t;
}
static int past_deadline(void) { return now() >= deadline; }
void hw_pause(void) {
  u64 until = now() + (1ull << 17);
  while (now() < until) {
  }
}
/* Once one wait has given up, every other does: a hart spinning on a lock or an
 * acknowledgement in its trap handler cannot be called home. */
static int overdue(void) {
  if (!hung && !past_deadline()) return 0;
  hung = 1;
  return 1;
}

static struct {
  char line[LINE_BYTES];
  u64 count, first;
} outcomes[MAX_OUTCOMES];
static u64 outcomes_n, outcomes_lost;

/* --- output --------------------------------------------------------------------------- */
void hw_puts(const char *s) {
  while (*s) hw_putc(*s++);
}
void hw_putu(u64 v) {
  char b[24];
  int n = 0;
  do b[n++] = (char)('0' + v % 10), v /= 10;
  while (v);
  while (n) hw_putc(b[--n]);
}

/* A line being built, cut short rather than overrun. */
struct buf {
  char *s;
  u64 n;
};
static void bput(struct buf *b, const char *s) {
  while (*s && b->n + 1 < LINE_BYTES) b->s[b->n++] = *s++;
  b->s[b->n] = 0;
}
/* An unsigned number's digits in base 10 or 16. */
static void bdigits(struct buf *b, u64 v, u64 base) {
  char t[24];
  int n = 0;
  do t[n++] = "0123456789abcdef"[v % base], v /= base;
  while (v);
  char o[24];
  int k = 0;
  while (n) o[k++] = t[--n];
  o[k] = 0;
  bput(b, o);
}
static void bhex(struct buf *b, u64 v) { bdigits(b, v, 16); }
static int streq(const char *a, const char *b) {
  while (*a && *a == *b) a++, b++;
  return *a == *b;
}
static int strcmp_(const char *a, const char *b) {
  while (*a && *a == *b) a++, b++;
  return (u8)*a - (u8)*b;
}

/* --- names ---------------------------------------------------------------------------- */
/* The cluster a machine address lies in, or none. */
static const struct hw_cluster *cluster_of(u64 hw) {
  for (u64 i = 0; i < hw_clusters_n; i++)
    if (hw >= hw_clusters[i].hw_lo && hw <= hw_clusters[i].hw_hi) return &hw_clusters[i];
  return 0;
}
/* A machine address where the scenario has it (outside every cluster: as the first moves). */
static u64 scenario_addr(u64 hw) {
  const struct hw_cluster *c = cluster_of(hw);
  return hw - (c ? c : &hw_clusters[0])->delta;
}
/* A value the task computed: a moved scenario address where it is one, else as it is. */
static u64 unmoved(u64 v) {
  const struct hw_cluster *c = cluster_of(v);
  return c ? v - c->delta : v;
}

/* How patchlit names a scenario address: its table, else hex (verdict/words.ts Names.addr). */
static void bname(struct buf *b, u64 scenario) {
  for (u64 i = 0; i < hw_names_n; i++)
    if (hw_names[i].scenario_addr == scenario) return bput(b, hw_names[i].text);
  bput(b, "0x");
  bhex(b, scenario);
}

/* An ending's words with its holes filled: %p an address, %h the hart, %x bits, %f/%t a jump's ends. */
static void bending(struct buf *b, const char *fmt) {
  char one[2] = {0, 0};
  for (; *fmt; fmt++) {
    if (*fmt != '%') {
      one[0] = *fmt;
      bput(b, one);
      continue;
    }
    switch (*++fmt) {
      case 'p': bname(b, scenario_addr(end_pc)); break;
      case 'h': bput(b, hw_tasks[end_hart - 1].name); break;
      case 'x': bhex(b, end_bits); break;
      case 'f':
        if (end_from_known) bname(b, scenario_addr(end_from));
        else bput(b, "?");
        break;
      case 't': bname(b, scenario_addr(end_to)); break;
      case 'a': bname(b, unmoved(end_bits)); break;
    }
  }
}

/* --- memory and harts ---------------------------------------------------------------- */
static inline void fence_i(void) { __asm__ volatile("fence.i" ::: "memory"); }
static inline void fence_rw(void) { __asm__ volatile("fence rw,rw" ::: "memory"); }
static inline void interrupts(int on) {
  if (on) __asm__ volatile("csrs " HW_STR(XSTATUS) ", %0" ::"r"((u64)XSTATUS_IE) : "memory");
  else __asm__ volatile("csrc " HW_STR(XSTATUS) ", %0" ::"r"((u64)XSTATUS_IE) : "memory");
}

static volatile u64 barrier_count, barrier_sense;
static void barrier(void) {
  u64 sense = barrier_sense;
  if (__atomic_add_fetch(&barrier_count, 1, __ATOMIC_ACQ_REL) == hw_harts) {
    barrier_count = 0;
    __atomic_store_n(&barrier_sense, !sense, __ATOMIC_RELEASE);
  } else
    while (__atomic_load_n(&barrier_sense, __ATOMIC_ACQUIRE) == sense) {
    }
}

/* A per-hart LCG (Knuth's MMIX constants); delays of 0 to 2^11 spins, spread over magnitudes. */
static u64 rnd(u64 hart) {
  lcg[hart] = lcg[hart] * 6364136223846793005ull + 1442695040888963407ull;
  return lcg[hart] >> 16;
}
static void delay(u64 hart) {
  u64 r = rnd(hart);
  u64 n = (r >> 8) & ((1ull << (r % 12)) - 1);
  for (volatile u64 i = 0; i < n; i++) {
  }
}
void hw_step_delay(void) { delay(0); }

static int is_code(u64 a) {
  for (u64 i = 0; i < hw_regions_n; i++)
    if (hw_regions[i].code && a >= hw_regions[i].addr && a < hw_regions[i].addr + hw_regions[i].len) return 1;
  return 0;
}
static u32 insn_at(u64 a) {
  u32 lo = *(volatile u16 *)a;
  return (lo & 3) == 3 ? lo | (u32)*(volatile u16 *)(a + 2) << 16 : lo;
}

/* The harts that run tasks, as a mask of hart indices. */
static u64 task_harts(void) { return ((1ull << hw_tasks_n) - 1) << 1; }

/* --- patch steps ---------------------------------------------------------------------- */
void hw_ipi(u64 targets, u64 flags) {
  for (u64 h = 1; h < hw_harts; h++)
    if (targets >> h & 1) ipi_ack[h] = 0;
  for (u64 h = 1; h < hw_harts; h++)
    if (targets >> h & 1) {
      if (flags & HW_IPI_RELAXED) ipi_req[h] |= REQ_FENCEI;
      else __atomic_fetch_or(&ipi_req[h], REQ_FENCEI, __ATOMIC_SEQ_CST);
    }
  if (flags & HW_IPI_FENCE) __asm__ volatile("fence w,o" ::: "memory");
  hw_send_ipi(targets);
  if (flags & HW_IPI_SYNC)
    for (u64 h = 1; h < hw_harts; h++)
      if (targets >> h & 1)
        while (!__atomic_load_n(&ipi_ack[h], __ATOMIC_ACQUIRE) && !overdue()) {
        }
}

/* stop_machine: every task's hart parks in its interrupt handler; restart lets them go. */
void hw_stop(void) {
  stop_released = 0;
  for (u64 h = 1; h <= hw_tasks_n; h++) __atomic_fetch_or(&ipi_req[h], REQ_STOP, __ATOMIC_SEQ_CST);
  __asm__ volatile("fence w,o" ::: "memory");
  hw_send_ipi(task_harts());
  while (__atomic_load_n(&stop_parked, __ATOMIC_ACQUIRE) != hw_tasks_n && !overdue()) {
  }
}
void hw_restart(void) {
  __atomic_store_n(&stop_released, 1, __ATOMIC_RELEASE);
  while (__atomic_load_n(&stop_parked, __ATOMIC_ACQUIRE) != 0 && !overdue()) {
  }
}

static u64 read_memory(u64 addr, u64 size) {
  return size == 1 ? *(volatile u8 *)addr : size == 2 ? *(volatile u16 *)addr : size == 4 ? *(volatile u32 *)addr : *(volatile u64 *)addr;
}

void hw_wait(u64 addr, u64 size, u64 value) {
  for (;;) {
    u64 v = read_memory(addr, size);
    __asm__ volatile("fence r,rw" ::: "memory");
    if (v == value || overdue()) return;
  }
}

/* Locks (text_mutex): taken once free; the watchdog gives up the wait. */
static volatile u64 locks[HW_MAX_LOCKS];
void hw_lock(u64 lock) {
  u64 free = 0;
  while (!__atomic_compare_exchange_n(&locks[lock], &free, 1, 0, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED)) {
    free = 0;
    if (overdue()) return;
  }
}
void hw_unlock(u64 lock) { __atomic_store_n(&locks[lock], 0, __ATOMIC_RELEASE); }

/* Which trap handlers are registered now: patch steps change it, traps read it. */
static volatile u64 handler_on[HW_MAX_HANDLERS];
void hw_register(u64 handler, u64 on) { __atomic_store_n(&handler_on[handler], on, __ATOMIC_SEQ_CST); }

/* The first registered handler for a trap of this cause at epc, as the model looks it up. */
static const struct hw_handler *handler_for(u64 cause, u64 epc) {
  for (u64 i = 0; i < hw_handlers_n; i++) {
    const struct hw_handler *h = &hw_handlers[i];
    if (h->cause == cause && (!h->placed || h->at == epc) && __atomic_load_n(&handler_on[i], __ATOMIC_ACQUIRE)) return h;
  }
  return 0;
}

/* A service stub's routine, done for the hart that called it (with interrupts off, in its
 * trap handler): the IPI or SBI call to the other harts, or a lock taken or released. */
static void service(u64 hart, const struct hw_stub *stub) {
  u64 others = stub->targets & ~(1ull << hart);
  switch (stub->service) {
    case HW_SERVICE_IPI: hw_ipi(others, stub->flags); break;
#ifdef HW_SBI
    case HW_SERVICE_SBI: hw_remote_fence_i(others); break;
#endif
    case HW_SERVICE_LOCK: hw_lock(stub->lock); break;
    case HW_SERVICE_UNLOCK: hw_unlock(stub->lock); break;
  }
}

/* --- traps ---------------------------------------------------------------------------- */
static void panic(const char *what, u64 hart, u64 cause, u64 pc) {
  hw_puts("patchlit hw: internal error: ");
  hw_puts(what);
  hw_puts(" on hart ");
  hw_putu(hart);
  hw_puts(", " HW_STR(XCAUSE) " ");
  hw_putu(cause);
  hw_puts(", " HW_STR(XEPC) " ");
  hw_putu(pc);
  hw_puts("\n");
  hw_halt(1);
}

static void apply_fixups(u64 hart, u64 *epc, int stop) {
  if (!in_task[hart] || !is_code(*epc)) return;
  u32 word = *(volatile u16 *)*epc | (u32) * (volatile u16 *)(*epc + 2) << 16;
  u64 at = scenario_addr(*epc);
  for (u64 i = 0; i < hw_fixups_n; i++) {
    const struct hw_fixup *f = &hw_fixups[i];
    if ((word & f->mask) != f->match || !(stop ? f->on_stop : f->on_ipi)) continue;
    int placed = !f->n_at && !f->n_ranges;
    for (u64 k = 0; k < f->n_at; k++) placed |= f->at[k] == at;
    for (u64 k = 0; k < f->n_ranges; k++) placed |= at >= f->ranges[2 * k] && at < f->ranges[2 * k + 1];
    if (placed) {
      *epc += f->adjust;
      return;
    }
  }
}

/* Returns whether the task is to be abandoned (the watchdog's request). */
static int software_interrupt(u64 hart, u64 *epc) {
  hw_clear_ipi(hart);
  /* A bare handler runs FENCE.I before it loads anything the sender wrote. */
  if (hw_ipi_bare_handler) fence_i();
  u64 req = __atomic_exchange_n(&ipi_req[hart], 0, __ATOMIC_ACQ_REL);
  if (req & REQ_STOP) {
    __atomic_add_fetch(&stop_parked, 1, __ATOMIC_ACQ_REL);
    while (!__atomic_load_n(&stop_released, __ATOMIC_ACQUIRE)) {
    }
    fence_i();
    __atomic_sub_fetch(&stop_parked, 1, __ATOMIC_ACQ_REL);
  }
  if (req & REQ_FENCEI) {
    if (!hw_ipi_bare_handler) fence_i();
    __atomic_store_n(&ipi_ack[hart], 1, __ATOMIC_RELEASE);
  }
  /* An interrupt with no request is a second one for a request already taken: the
   * model's one interrupt has returned, and no fixup runs again. */
  if (req & REQ_ABORT) return 1;
  if (req) apply_fixups(hart, epc, (req & REQ_STOP) != 0);
  return 0;
}

/* The first crash of an iteration is its ending; a hart that crashes leaves its task. */
static void crash(u64 kind, u64 hart, u64 pc, u64 bits, u64 cause) {
  u64 none = 0;
  if (__atomic_compare_exchange_n(&ending_kind, &none, kind, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
    end_hart = hart, end_pc = pc, end_bits = bits, end_cause = cause;
  }
}

/* A jump to where no code is. Where it came from the machine does not say (no branch
 * record): the line says `?`, which the comparison takes for any instruction. */
static void wild_jump(u64 hart, u64 to, u64 from, u64 known) {
  u64 none = 0;
  if (__atomic_compare_exchange_n(&ending_kind, &none, END_WILD, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
    end_hart = hart, end_to = to, end_from = from, end_from_known = known;
  }
}

extern void hw_task_return(void);

/* The trap returns to the runtime, not to the task: hw_run_task returns. */
static void leave_task(u64 hart, u64 *epc) {
  in_task[hart] = 0;
  *epc = (u64)hw_task_return;
  /* Back in the runtime with interrupts off: the idle loop turns them on. */
  __asm__ volatile("csrc " HW_STR(XSTATUS) ", %0" ::"r"((u64)XSTATUS_PIE));
}

void hw_trap(u64 *regs) {
  u64 cause, epc, tval, hart;
  __asm__ volatile("csrr %0, " HW_STR(XCAUSE) "; csrr %1, " HW_STR(XEPC) "; csrr %2, " HW_STR(XTVAL) "; csrr %3, " HW_STR(XSCRATCH)
                   : "=r"(cause), "=r"(epc), "=r"(tval), "=r"(hart));
  if (cause >> 63) {
    if ((cause & 0xff) != IRQ_SOFT) panic("unexpected interrupt", hart, cause, epc);
    if (software_interrupt(hart, &epc) && in_task[hart]) leave_task(hart, &epc);
    __asm__ volatile("csrw " HW_STR(XEPC) ", %0" ::"r"(epc));
    return;
  }
  if (!in_task[hart]) panic("trap outside the scenario's code", hart, cause, epc);
  int done = 0;
  const struct hw_task *task = &hw_tasks[hart - 1];
  const struct hw_handler *handler = (cause == 2 || cause == 3) && is_code(epc) ? handler_for(cause, epc) : 0;
  if (handler) {
    if (handler->fence_i) fence_i();
    epc = handler->emulate(regs, epc, (insn_at(epc) & 3) == 3 ? 4 : 2);
  } else if (cause == 3 && epc == task->idle) {
    for (u64 r = 1; r < 32; r++) final_regs[hart][r] = regs[r];
    done = 1;
  }
  else if (cause == 3) {
    const struct hw_stub *stub = 0;
    for (u64 i = 0; i < hw_stubs_n; i++)
      if (hw_stubs[i].addr == epc) stub = &hw_stubs[i];
    if (stub) {
      u64 n = calls_n[hart];
      if (!ending_kind && n < HW_MAX_CALLS) calls[hart][n] = (u16)(stub - hw_stubs), calls_n[hart] = n + 1;
      service(hart, stub);
      u64 to = regs[stub->return_reg];
      int to_stub = 0;
      for (u64 i = 0; i < hw_stubs_n; i++) to_stub |= hw_stubs[i].addr == to;
      if (to_stub || (!is_code(to) && to != task->idle)) wild_jump(hart, to, epc, 1), done = 1;
      else epc = to;
    } else if (is_code(epc)) crash(END_BREAKPOINT, hart, epc, 0, cause), done = 1;
    else wild_jump(hart, epc, 0, 0), done = 1;
  } else if ((cause == 2 && !is_code(epc)) || cause == 1) wild_jump(hart, epc, 0, 0), done = 1;
  else if (cause == 2) crash(END_ILLEGAL, hart, epc, tval ? tval : insn_at(epc), cause), done = 1;
  else if (cause == 8 || cause == 9 || cause == 11) crash(END_ECALL, hart, epc, 0, cause), done = 1;
  else if (cause == 5 || cause == 7) crash(cause == 5 ? END_LOAD_FAULT : END_STORE_FAULT, hart, epc, tval, cause), done = 1;
  else crash(END_OTHER, hart, epc, tval, cause), done = 1;
  if (done) leave_task(hart, &epc);
  __asm__ volatile("csrw " HW_STR(XEPC) ", %0" ::"r"(epc));
}

/* --- iterations ----------------------------------------------------------------------- */
static u64 iterations_done, stopped;

/* Waits for every task to end until the deadline (a second wait has a deadline of its
 * own); false when the watchdog fires first. */
static int tasks_ended(void) {
  while (__atomic_load_n(&tasks_done, __ATOMIC_ACQUIRE) != hw_tasks_n)
    if (past_deadline()) return hung = 1, 0;
  return 1;
}

/* The watchdog's request to the harts still in their tasks: leave them. */
static void abandon_tasks(void) {
  u64 mask = 0;
  for (u64 h = 1; h <= hw_tasks_n; h++)
    if (in_task[h]) {
      __atomic_fetch_or(&ipi_req[h], REQ_ABORT, __ATOMIC_SEQ_CST);
      mask |= 1ull << h;
    }
  hw_send_ipi(mask);
  deadline = now() + WATCHDOG_TICKS;
}
void hw_run_task(u64 start, const u64 *regs, u64 status);

static void reset(void) {
  for (u64 i = 0; i < hw_regions_n; i++) {
    volatile u8 *d = (volatile u8 *)hw_regions[i].addr;
    for (u64 k = 0; k < hw_regions[i].len; k++) d[k] = hw_regions[i].init[k];
  }
  for (u64 h = 0; h < HW_MAX_HARTS; h++) calls_n[h] = 0, ipi_req[h] = 0, ipi_ack[h] = 0;
  ending_kind = 0, end_from_known = 0, tasks_done = 0, iteration_over = 0, hung = 0;
  stop_parked = 0, stop_released = 0;
  for (u64 l = 0; l < HW_MAX_LOCKS; l++) locks[l] = 0;
  for (u64 i = 0; i < hw_handlers_n; i++) handler_on[i] = hw_handlers[i].registered;
  fence_rw();
}

/* Stubs and idle points are breakpoints (c.ebreak): the trap handler does what they stand for. */
static void place_breakpoints(void) {
  for (u64 i = 0; i < hw_stubs_n; i++) *(volatile u16 *)hw_stubs[i].addr = 0x9002;
  for (u64 t = 0; t < hw_tasks_n; t++) *(volatile u16 *)hw_tasks[t].idle = 0x9002;
  fence_rw();
}

/* A final value as patchlit prints it (verdict/words.ts valueText): a moved address where
 * the scenario has it; by name where the scenario names it; signed decimal when small (or
 * in a litmus test), else hex. */
static void bvalue(struct buf *b, u64 v) {
  v = unmoved(v);
  for (u64 i = 0; i < hw_value_names_n; i++)
    if (hw_value_names[i].scenario_addr == v) return bput(b, hw_value_names[i].text);
  int64_t x = (int64_t)v;
  if (!hw_large_values_hex || (x > -0x10000 && x < 0x10000)) {
    if (x < 0) bput(b, "-");
    bdigits(b, x < 0 ? -(u64)x : (u64)x, 10);
  } else {
    bput(b, "0x");
    bhex(b, v);
  }
}

/* The final values; after a crash, `?` for each: the model stops every hart at the crash,
 * the machine lets the others run on, so their values are not the model's to compare. */
static void bfinals(struct buf *b) {
  for (u64 i = 0; i < hw_finals_n; i++) {
    const struct hw_final *f = &hw_finals[i];
    bput(b, f->before);
    if (ending_kind || hung) bput(b, "?");
    else bvalue(b, f->size ? read_memory(f->addr, f->size) : f->reg ? final_regs[f->hart][f->reg] : 0);
  }
  bput(b, hw_finals_after);
}

/* The iteration's outcome as patchlit writes it: the ending, then each task's calls, then the final values. */
static void outcome_line(struct buf *b) {
  static char parts[HW_MAX_HARTS][LINE_BYTES];
  for (u64 t = 0; t < hw_tasks_n; t++) {
    struct buf p = {parts[t], 0};
    p.s[0] = 0;
    u64 n = calls_n[t + 1];
    if (!n) bput(&p, "no calls");
    for (u64 k = 0; k < n; k++) {
      if (k) bput(&p, ", ");
      bput(&p, hw_stubs[calls[t + 1][k]].name);
    }
  }
  /* Interchangeable tasks' parts sorted among themselves, as outcomeLine does. */
  for (const u64 *g = hw_groups; *g; g += *g + 1) {
    for (u64 i = 1; i <= *g; i++)
      for (u64 j = i + 1; j <= *g; j++)
        if (strcmp_(parts[g[i]], parts[g[j]]) > 0) {
          static char tmp[LINE_BYTES];
          struct buf x = {tmp, 0};
          bput(&x, parts[g[i]]);
          struct buf a = {parts[g[i]], 0};
          bput(&a, parts[g[j]]);
          struct buf c = {parts[g[j]], 0};
          bput(&c, tmp);
        }
  }
  switch (ending_kind) {
    case 0: bending(b, hung ? "deadlock: ?" : hw_endings.complete); break;
    case END_ILLEGAL: bending(b, hw_endings.illegal); break;
    case END_WILD: bending(b, hw_endings.wild); break;
    case END_BREAKPOINT: bending(b, hw_endings.breakpoint); break;
    case END_ECALL: bending(b, hw_endings.ecall); break;
    case END_LOAD_FAULT: bending(b, hw_endings.load_fault); break;
    case END_STORE_FAULT: bending(b, hw_endings.store_fault); break;
    default:
      bput(b, "fault (" HW_STR(XCAUSE) " 0x");
      bhex(b, end_cause);
      bput(b, ") at ");
      bname(b, scenario_addr(end_pc));
      bput(b, " on ");
      bput(b, hw_tasks[end_hart - 1].name);
  }
  for (u64 t = 0; t < hw_tasks_n; t++) {
    bput(b, "; ");
    bput(b, hw_tasks[t].name);
    bput(b, ": ");
    bput(b, parts[t]);
  }
  if (hw_finals_n) {
    bput(b, "; ");
    bfinals(b);
  }
}

static void count(u64 iteration) {
  static char line[LINE_BYTES];
  struct buf b = {line, 0};
  line[0] = 0;
  outcome_line(&b);
  for (u64 i = 0; i < outcomes_n; i++)
    if (streq(outcomes[i].line, line)) {
      outcomes[i].count++;
      return;
    }
  if (outcomes_n == MAX_OUTCOMES) {
    outcomes_lost++;
    return;
  }
  struct buf o = {outcomes[outcomes_n].line, 0};
  bput(&o, line);
  outcomes[outcomes_n].count = 1;
  outcomes[outcomes_n].first = iteration;
  outcomes_n++;
}

static void report(void) {
  hw_puts("patchlit hw: ");
  hw_puts(hw_scenario_name);
  hw_puts(": ");
  hw_putu(iterations_done);
  hw_puts(" iterations on ");
  hw_putu(hw_harts);
  hw_puts(" harts\n");
  for (u64 i = 0; i < outcomes_n; i++) {
    hw_putu(outcomes[i].count);
    hw_putc(' ');
    hw_puts(outcomes[i].line);
    hw_puts(" # first at iteration ");
    hw_putu(outcomes[i].first);
    hw_putc('\n');
  }
  if (outcomes_lost) {
    hw_puts("patchlit hw: ");
    hw_putu(outcomes_lost);
    hw_puts(" iterations had outcomes beyond the first 64 distinct ones\n");
  }
  if (stopped) {
    hw_puts("patchlit hw: stopped after iteration ");
    hw_putu(iterations_done);
    hw_puts(": a task running with interrupts off did not end\n");
  }
  hw_puts("patchlit hw: end\n");
}

void hw_main(u64 hart) {
  if (hart >= hw_harts) for (;;) __asm__ volatile("wfi");
  lcg[hart] = hw_seed ^ (hart * 0x9e3779b97f4a7c15ull);
  __asm__ volatile("csrs " HW_STR(XIE) ", %0" ::"r"((u64)XIE_SOFT));
  if (hart == 0) place_breakpoints();
  for (u64 it = 1; it <= hw_iterations; it++) {
    /* The deadline is set before the barrier that lets the tasks go: a task's own waits
     * (a service's acknowledgements, a lock) read it too. */
    if (hart == 0) reset(), deadline = now() + WATCHDOG_TICKS;
    barrier();
    fence_i();
    barrier();
    if (hart == 0) {
      delay(hart);
      if (hw_patchers) hw_patch();
      if (!tasks_ended()) {
        abandon_tasks();
        if (!tasks_ended()) {
          /* A task that runs with interrupts off cannot be called home: the run ends here. */
          count(it);
          iterations_done = it;
          stopped = 1;
          report();
          hw_halt(0);
        }
      }
      /* Every request taken: an IPI left pending would land in the next iteration. */
      for (u64 h = 1; h <= hw_tasks_n; h++)
        while (ipi_req[h] && !overdue()) {
        }
      hw_settle_ipis(task_harts());
      __atomic_store_n(&iteration_over, 1, __ATOMIC_RELEASE);
    } else if (hart <= hw_tasks_n) {
      const struct hw_task *task = &hw_tasks[hart - 1];
      delay(hart);
      in_task[hart] = 1;
      hw_run_task(task->start, task->regs, XSTATUS_PP | (task->ipi_while_running ? XSTATUS_PIE : 0));
      in_task[hart] = 0;
      __atomic_add_fetch(&tasks_done, 1, __ATOMIC_ACQ_REL);
      /* Idle, as the kernel's idle loop: interrupts on until the iteration is over. */
      interrupts(1);
      while (!__atomic_load_n(&iteration_over, __ATOMIC_ACQUIRE)) {
      }
      interrupts(0);
    }
    barrier();
    if (hart == 0) count(it), iterations_done = it;
  }
  barrier();
  if (hart == 0) {
    report();
    hw_halt(0);
  }
  for (;;) __asm__ volatile("wfi");
}
