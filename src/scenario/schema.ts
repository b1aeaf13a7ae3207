// The scenario format as a JSON Schema: the validator checks documents against it, and
// the same object is what editors (the YAML language server) are given. Semantic checks
// the schema cannot express (symbols that exist, code that assembles) follow in compile.ts.

import { FIXUP_CAUSE_HINTS } from './fixups.ts';
import { LIMITS } from './limits.ts';
import { ENDING_KINDS, FENCE_I_READING_NAMES, FETCH_CONFIG_NAMES, FIXUP_CAUSES } from './types.ts';

const address = {
  description: 'An address: an integer (0xffffffff8001f840) or an expression over symbols (func+4).',
  type: ['integer', 'string'],
} as const;

// `x-form` beside a pattern: what a value that does not match should be, completing the
// message `"VALUE" is not ...` (validate.ts); a description says what a value means instead.
const name = { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_.-]*$', 'x-form': 'a name (a letter or _, then letters, digits, _, . or -)' } as const;

const STEP_WORDS =
  '"fence.i", "fence.tso", "fence PRED,SUCC" with sets of i, o, r, w (quoted inside [...], where a comma ends an item), or "synchronize_rcu_tasks" (wait until every task that may be inside old code has passed a quiescent state)';
const RESUME = '"sepc" or sepc plus or minus a number of bytes ("sepc - 4")';

export const PREDICATE_WORDS = [...ENDING_KINDS, 'crash', 'no-calls', 'preempted', 'migrated'] as const;

const predicate = {
  $id: '#predicate',
  description:
    'A property of a run: an ending (complete, deadlock, illegal-instruction, wild-jump, breakpoint, ecall, fault, crash), ' +
    'no-calls, {calls: T}, {call-outside: [T...]}, {executed: [I1, I2], at: ADDR, after: STEP, before: STEP}, {not: P}, {all: [P...]}, {any: [P...]}.',
  type: ['string', 'object'],
  if: { type: 'string' },
  then: { enum: PREDICATE_WORDS },
  else: {
    minProperties: 1,
    additionalProperties: false,
    properties: {
      calls: { type: ['string', 'array'], items: { type: 'string' }, description: 'Some hart called this stub (or one of these).' },
      final: { type: 'string', description: 'A condition on final registers and memory in herd\'s syntax: \'cpu1:a0=1 /\\ flag=1\' (in double quotes, /\\\\).' },
      'call-outside': { type: 'array', items: { type: 'string' }, description: 'Some hart transferred control outside these stubs: another stub or a wild jump.' },
      executed: {
        type: ['string', 'array'],
        items: { type: 'string' },
        minItems: 1,
        maxItems: 2,
        description: 'An instruction, or a pair executed back to back, at `at`: named instructions or assembly text.',
      },
      at: address,
      after: { type: ['integer', 'string'], description: 'With executed: only once this patch step has been made (its number as written, 1 the first; "NAME N" for one of several patching harts).' },
      before: { type: ['integer', 'string'], description: 'With executed: only while this patch step has not been made yet.' },
      not: { $ref: '#predicate' },
      all: { type: 'array', items: { $ref: '#predicate' } },
      any: { type: 'array', items: { $ref: '#predicate' } },
    },
  },
} as const;

const configList = { type: 'array', items: { enum: FETCH_CONFIG_NAMES } } as const;

const atomicityValue = { type: 'string', pattern: '^(ziccif|parcel|line\\s+\\d+)$', 'x-form': 'ziccif, parcel or line N' } as const;

const xfailSchema = {
  type: ['boolean', 'string', 'array', 'object'],
  items: { enum: FETCH_CONFIG_NAMES },
  additionalProperties: false,
  properties: { under: configList, because: { type: 'string' } },
  description:
    "Expected to fail (LLVM lit's XFAIL): true, the reason, the configurations it fails under (it must hold under the others), or {under: [...], because: ...}. It then passes by failing and fails by holding.",
} as const;

function recordedSchema(description: string) {
  return { type: ['string', 'array', 'null'], items: { type: 'string' }, description } as const;
}

/**
 * A trap a trap-return fixup may be restricted to. `x-hints` (read by validate.ts) says why
 * a value that looks right is not: the SBI call's interrupt is the firmware's.
 */
const fixupCause = { enum: FIXUP_CAUSES, 'x-hints': FIXUP_CAUSE_HINTS } as const;

const targets = { type: ['string', 'array'], items: { type: 'string' }, description: '"all" remote harts (default) or their names.' } as const;

/** A remote fence.i by IPI: a patch step, or what a service stub does when a hart's code calls it. */
const ipiRequest: Record<string, unknown> = {
  type: 'object',
  additionalProperties: false,
  properties: {
    targets,
    action: { enum: ['fence.i'], description: 'What the handler does (default fence.i).' },
    sync: { type: 'boolean', description: 'Wait for every acknowledgement (default true).' },
    handler: { enum: ['request', 'bare'], description: 'request (default): the handler loads the request the sender queued before its FENCE.I, as the kernel\'s does; bare: it runs FENCE.I and nothing else.' },
    fence: { type: 'boolean', description: 'A fence w,o before the raise, as Linux has it (default true); false: only the sender\'s own fences order its stores before the interrupt.' },
    queue: { enum: ['ordered', 'relaxed'], description: 'ordered (default): the request is queued with a fully ordered atomic (llist_add), so the handler that loads it has seen everything the sender did; relaxed: with a plain store.' },
  },
};

/** The SBI remote fence.i call: a patch step, or a service stub. */
const sbiCall: Record<string, unknown> = {
  type: 'object',
  additionalProperties: false,
  properties: {
    targets,
    action: { enum: ['fence.i'] },
    completion: { enum: ['sent', 'completed'], description: 'The call returns once the request is sent (default) or once every target has run FENCE.I.' },
    ordered: { type: 'boolean', description: 'The firmware orders the caller\'s earlier stores before the remote FENCE.I (default false: only a fence w,o before the call does).' },
  },
};

const step = {
  $id: '#step',
  description:
    'A patch step: "fence.i", "fence w,w", "fence.tso", "synchronize_rcu_tasks", {store: {at, insn | value, size}}, {ipi: {targets, sync, handler}}, ' +
    '{sbi: {targets, completion, ordered}}, {stop_machine: [steps]}, {wait: {at, value, size}}, {lock: NAME}, {unlock: NAME}, ' +
    '{free: REGION | {at, size}}, {register: HANDLER}, {unregister: HANDLER}.',
  type: ['string', 'object'],
  if: { type: 'string' },
  then: {
    pattern: '^(fence\\.i|fence\\.tso|fence(\\s+[iorw]+\\s*,\\s*[iorw]+)?|synchronize_rcu_tasks)$',
    description: STEP_WORDS,
    'x-form': `of the form ${STEP_WORDS}`,
  },
  else: {
    minProperties: 1,
    maxProperties: 1,
    additionalProperties: false,
    properties: {
      store: {
        type: 'object',
        additionalProperties: false,
        required: ['at'],
        properties: {
          at: address,
          insn: { type: 'string', description: 'A named instruction (insns:) or one instruction in assembly, assembled at `at`.' },
          value: { type: ['integer', 'string'], description: 'A data value: an integer or an address expression (a pointer).' },
          size: { enum: [1, 2, 4, 8], description: 'Bytes stored with `value` (default 8).' },
        },
      },
      fence: { type: 'string', pattern: '^[iorw]+\\s*,\\s*[iorw]+$', 'x-form': 'of the form PRED,SUCC, sets of i, o, r, w ("w,o")' },
      ipi: ipiRequest,
      sbi: sbiCall,
      stop_machine: { type: 'array', items: { $ref: '#step' }, description: 'Steps made while every other hart is parked; they all run FENCE.I before resuming.' },
      wait: {
        type: 'object',
        additionalProperties: false,
        required: ['at', 'value'],
        properties: { at: address, value: { type: ['integer', 'string'] }, size: { enum: [1, 2, 4, 8] } },
        description: 'Poll memory until it holds a value (loads with acquire).',
      },
      lock: { type: 'string', description: 'Take a lock (text_mutex), waiting while another holds it.' },
      unlock: { type: 'string', description: 'Release a lock.' },
      free: {
        type: ['string', 'object'],
        additionalProperties: false,
        required: ['at', 'size'],
        properties: { at: address, size: { type: 'integer', minimum: 1 } },
        description:
          'The memory is reused: a region by name, or {at, size}. It is overwritten with a poison that traps when executed (zeros), by aligned stores of up to 8 bytes, so a hart still running or fetching it can meet it.',
      },
      register: { type: 'string', description: 'Register a trap handler by its name: traps from now on find it.' },
      unregister: { type: 'string', description: 'Unregister a trap handler by its name: a trap from now on that only it handled is unhandled.' },
    },
  },
} as const;

const trap = {
  type: 'object',
  additionalProperties: false,
  required: ['on'],
  properties: {
    on: { enum: ['ebreak', 'illegal'], description: 'The trap it handles: an EBREAK (c.ebreak) or an illegal instruction.' },
    at: address,
    emulate: {
      type: ['string', 'array'],
      items: { type: 'string' },
      minItems: 1,
      description:
        'Instructions executed in place of the trapping one, in sequence, as if they stood at its pc and the pcs after it (kprobes simulates AUIPC and JALR so): register-only instructions and, last, a jump or branch. One instruction, or a list.',
    },
    resume: { description: 'Where the hart resumes: an address, or "next" (default: after the trapping or emulated instruction).', type: ['integer', 'string'] },
    'fence.i': { type: 'boolean', description: 'The handler runs FENCE.I (default false).' },
    name: { type: 'string', description: 'The handler, as reports and the register and unregister steps name it.' },
    registered: { type: 'boolean', description: 'Registered when the run begins (default true); register and unregister patch steps change it.' },
  },
} as const;

const importSchema = {
  type: ['string', 'array'],
  items: { type: 'string' },
  description:
    'Definitions from other files, merged under this block\'s own keys as extends merges: a library (FILE, a YAML file without name:), ' +
    'a YAML scenario (FILE) or a notebook\'s scenario (FILE#NAME); paths are relative to this file. A list imports several, later ones winning.',
} as const;

export const SCENARIO_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'patchlit scenario',
  type: 'object',
  additionalProperties: false,
  required: ['name'],
  definitions: { predicate, step },
  properties: {
    name: { ...name, description: 'The scenario, as reports and filters name it.' },
    extends: { type: 'string', description: 'An earlier scenario of the notebook whose keys this one inherits.' },
    import: importSchema,
    description: { type: 'string' },
    model: {
      type: 'object',
      additionalProperties: false,
      properties: {
        fetch: {
          description: 'The fetch configurations to judge under: one name or a list (default: the suite\'s five).',
          type: ['string', 'array'],
          items: { enum: FETCH_CONFIG_NAMES },
          if: { type: 'string' },
          then: { enum: FETCH_CONFIG_NAMES },
        },
        stores: { enum: ['rvwmo', 'sc'], description: 'rvwmo (default): the RISC-V memory model; sc: every access in program order against one memory.' },
        atomicity: { ...atomicityValue, description: 'Fetch atomicity: ziccif (default), parcel, or line N.' },
        'fence-i': {
          enum: FENCE_I_READING_NAMES,
          description:
            "What a hart's own FENCE.I orders for others: transitive (default, the ifetch suite's axioms: its earlier loads and stores before everything it does later, an IPI or SBI call included) or fetch-only (the Zifencei chapter's prose: only its own instruction fetches; a data fence must precede a request to other harts).",
        },
      },
    },
    budget: {
      type: 'object',
      additionalProperties: false,
      properties: {
        states: { type: 'integer', minimum: 1 },
        seconds: { type: 'number', exclusiveMinimum: 0 },
      },
    },
    symbols: { type: 'object', additionalProperties: address, description: 'Named addresses.' },
    stubs: {
      type: 'object',
      description:
        'Routines not modelled: reaching one records a call and returns through `return`. A kernel service (flush_icache_all, sbi_remote_fence_i, mutex_lock) also does what the patch step of its one key does, for the hart that calls it: ipi, sbi, lock or unlock.',
      additionalProperties: {
        type: ['object', 'null'],
        additionalProperties: false,
        maxProperties: 3,
        properties: {
          at: address,
          return: { type: 'string' },
          ipi: ipiRequest,
          sbi: sbiCall,
          lock: { type: 'string', description: 'Take this lock, waiting (asleep) while another holds it.' },
          unlock: { type: 'string', description: 'Release this lock.' },
        },
      },
    },
    code: {
      type: 'object',
      description: 'Code regions, in GNU as syntax.',
      additionalProperties: {
        type: 'object',
        additionalProperties: false,
        required: ['at', 'asm'],
        properties: {
          at: address,
          asm: { type: 'string' },
          rvc: { type: 'boolean' },
          interrupts: { enum: ['masked', 'enabled'], description: 'masked: a hart running here takes no supervisor interrupt (IPI, timer, stop_machine).' },
        },
      },
    },
    data: {
      type: 'object',
      description: 'Data regions, in GNU as syntax (.dword, .word, ...).',
      additionalProperties: {
        type: 'object',
        additionalProperties: false,
        required: ['at', 'asm'],
        properties: { at: address, asm: { type: 'string' } },
      },
    },
    insns: { type: 'object', additionalProperties: { type: 'string' }, description: 'Named instructions, assembled where they are used.' },
    'trap-return': {
      type: 'array',
      description:
        "Trap-return fixups: when the word at sepc matches `when`, resume at `resume`; only at the entries `at` and `in` name (default: anywhere), only on the kernel's returns from the traps `on` names (default: all of them).",
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['when', 'resume'],
        properties: {
          name: { type: 'string' },
          when: { type: 'string', description: 'An instruction pattern the word at sepc, read by a data load, must match: "jalr t0, *(t0)".' },
          resume: { type: 'string', pattern: '^sepc(\\s*[-+]\\s*\\d+)?$', 'x-form': RESUME, description: `${RESUME}: where the return goes when the fixup applies` },
          at: { type: ['integer', 'string', 'array'], items: address, description: 'Only when sepc is this address, or one of these (func+4).' },
          in: {
            type: ['string', 'array'],
            // A range's length is checked when compiled (fixups.ts), where its message can give a hint.
            items: { type: ['integer', 'string', 'array'], items: address },
            description: 'Only when sepc is in this code region (func), this range [START, END] (END not included: [func, func+8]), or a list of them ([[func, func+8], other_region]).',
          },
          on: {
            type: ['string', 'array'],
            items: fixupCause,
            if: { type: 'string' },
            then: fixupCause,
            description:
              "Only on the return from these traps: ipi, timer, stop (stop_machine's parking), resume (a preempted task's return on the hart that resumes it). The SBI call's interrupt is never one: the firmware returns from it (MRET).",
          },
        },
      },
    },
    patcher: { ...name, description: 'The patching hart (default cpu0).' },
    patch: { type: 'array', items: { $ref: '#step' }, description: 'The patching hart\'s steps.' },
    patchers: {
      type: 'array',
      minItems: 1,
      maxItems: 3,
      description: 'Several patching harts, each with its steps.',
      items: { type: 'object', additionalProperties: false, required: ['name', 'steps'], properties: { name, steps: { type: 'array', items: { $ref: '#step' } } } },
    },
    traps: { type: 'array', items: trap, description: 'Handlers for EBREAK and illegal-instruction traps (kprobes-style).' },
    'spare-harts': { type: 'integer', minimum: 0, maximum: 8, description: 'Harts with no task of their own: they idle, take interrupts, and run preempted tasks.' },
    harts: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        additionalProperties: false,
        properties: {
          name: name,
          run: { type: 'string', description: 'A label of the scenario\'s code: the hart runs from there instead of a driver of calls.' },
          until: { type: 'string', description: 'With run: the label where the hart is done (default: the end of its code region).' },
          regs: { type: 'object', additionalProperties: address, description: 'Initial registers: {a0: flag}.' },
          count: { type: 'integer', minimum: 1, maximum: 16, description: 'This many identical harts (name1, name2, ...).' },
          calls: { type: ['string', 'array'], items: { type: 'string' }, description: 'Functions it calls, in order.' },
          times: { type: 'integer', minimum: 1, maximum: LIMITS.times, 'x-limit': 'the limit on repetition counts', description: `How many times it makes its calls (default 1, at most ${LIMITS.times}).` },
          interrupts: { enum: ['ipi', 'none'], description: 'ipi: takes interrupts while it runs (default); none: none (IPI, timer, stop_machine) until it idles, so neither timer nor preempt goes with it.' },
          timer: {
            type: 'object',
            additionalProperties: false,
            properties: { count: { type: 'integer', minimum: 0, maximum: 8 }, 'fence.i': { type: 'boolean' } },
            description: 'Timer interrupts it may take (count, default 1), their handler running FENCE.I or not (default not).',
          },
          preempt: {
            type: ['boolean', 'object'],
            additionalProperties: false,
            properties: { fixups: { type: 'boolean' }, migrate: { type: 'boolean' } },
            description:
              'At a timer interrupt (timer:) its task may be preempted and resumed on another hart, and stop_machine parks it anywhere; fixups: its interrupt return applies the trap-return fixups (default true); migrate: false resumes it only on the hart it was preempted on (migrate_disable()).',
          },
        },
      },
    },
    xfail: { ...xfailSchema, description: 'The scenario demonstrates a failure: a failing check is expected (XFAIL), every check holding is not (XPASS).' },
    hardware: {
      type: 'array',
      description:
        "Histograms of this scenario's outcomes printed on machines (patchlit hw, a board's console saved to a file), kept next to the notebook: the report shows each beside the model's outcomes, and an outcome the model forbids under the machine's configuration fails the scenario.",
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['machine', 'results', 'model'],
        properties: {
          machine: { type: 'string', minLength: 1, description: 'The machine, as the report names it: "SG2042 (Milk-V Pioneer)", "QEMU 7.2 virt".' },
          results: { type: 'string', minLength: 1, description: 'The histogram file, relative to the notebook.' },
          model: { enum: FETCH_CONFIG_NAMES, description: 'The fetch configuration that describes the machine.' },
          atomicity: { ...atomicityValue, description: "What one instruction fetch of the machine reads at once (default: the scenario's)." },
          xfail: {
            type: 'string',
            minLength: 1,
            description: 'The machine is known to show an outcome the model forbids, and why (a defect of the machine, not of the protocol): showing one is expected (XFAIL), showing none is not (XPASS).',
          },
        },
      },
    },
    outcomes: recordedSchema('The distinct outcomes, one per line, as the last run saw them: compared with each run, rewritten by --update.'),
    claims: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        minProperties: 1,
        properties: {
          never: { $ref: '#predicate' },
          always: { $ref: '#predicate' },
          sometimes: { $ref: '#predicate' },
          eventually: { $ref: '#predicate', description: 'Every fair run gets there: finite runs end with it, and no run loops forever without it.' },
          because: { type: 'string' },
          xfail: xfailSchema,
        },
      },
    },
    table: {
      description: "The author's table of interleavings; null drops one inherited through extends.",
      type: ['object', 'null'],
      additionalProperties: false,
      required: ['alphabet', 'rows'],
      properties: {
        harts: { type: 'array', items: { type: 'string' } },
        alphabet: {
          type: 'object',
          propertyNames: { minLength: 1, maxLength: 1 },
          additionalProperties: {
            type: ['string', 'object'],
            if: { type: 'string' },
            then: { enum: ['fence.i'] },
            else: { additionalProperties: false, required: ['exec'], properties: { exec: address, after: address } },
          },
        },
        classes: { type: 'object', additionalProperties: { $ref: '#predicate' } },
        xfail: {
          type: ['array', 'object'],
          items: { type: 'string' },
          additionalProperties: { type: 'string' },
          description: 'Rows expected to fail, by signature (a list, or signature: reason).',
        },
        observed: recordedSchema('Every signature seen, with its classes, as the last run saw them: compared with each run, rewritten by --update.'),
        rows: {
          type: ['string', 'array'],
          items: { type: 'string' },
          description: 'One row per line: "SIGNATURE -- CLASS", or "SIGNATURE -- impossible, would be SIG (CLASS), ...".',
        },
      },
    },
  },
} as const;

/**
 * A notebook's YAML front matter: its `patchlit:` key sets the model and budget of every
 * scenario (and litmus block) in it, unless a scenario says otherwise. Other keys are the
 * notebook's own business (title, tags, ...).
 */
export const FRONT_MATTER_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'patchlit notebook front matter',
  type: ['object', 'null'],
  properties: {
    patchlit: {
      type: 'object',
      additionalProperties: false,
      properties: { model: SCENARIO_SCHEMA.properties.model, budget: SCENARIO_SCHEMA.properties.budget },
    },
  },
} as const;

/**
 * The keys a library may hold: what a scenario's code is (addresses, stubs, regions,
 * named instructions, trap handling) and other libraries, never what a scenario does
 * with it (harts, patch steps, claims) or how it is judged (model, budget).
 */
export const LIBRARY_KEYS = ['import', 'symbols', 'stubs', 'code', 'data', 'insns', 'trap-return', 'traps'] as const;

/**
 * A library: a YAML file of definitions with no `name:`, which scenarios import. It is
 * no scenario itself (patchlit run judges nothing in it) but is checked on its own, so it
 * must define every name its code uses.
 */
export const LIBRARY_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'patchlit library',
  type: 'object',
  additionalProperties: false,
  properties: Object.fromEntries(LIBRARY_KEYS.map((k) => [k, SCENARIO_SCHEMA.properties[k]])) as { [K in (typeof LIBRARY_KEYS)[number]]: (typeof SCENARIO_SCHEMA.properties)[K] },
} as const;
