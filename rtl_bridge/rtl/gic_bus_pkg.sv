// gic_bus_pkg.sv: the buses between the blocks of the reference, declared once: the register request and responses
// of gic_top's port, the register access in its effect cycle and the debug read every block decodes, the HPPI offer,
// and the acknowledge, deactivation, SGI and HW=1 forward messages (docs/rtl.md, "How the phases map to RTL").
package gic_bus_pkg;
  import gic_regmap_pkg::*;

  localparam int MAX_CPUS = 8;  // gic_top NCPU 1..8: the width of an SGI target list

  // A register request as gic_top's port presents it (issue cycle I).
  typedef struct packed {
    logic        valid;
    logic        write;
    logic [3:0]  size;    // 1, 2, 4, 8 bytes
    logic [2:0]  frame;   // FRAME_*
    logic [7:0]  cpu;
    logic [31:0] offset;  // byte offset, or the system register encoding
    logic [63:0] wdata;
    logic [15:0] tag;
  } gic_req_t;

  // A response on either lane (normal, acknowledge).
  typedef struct packed {
    logic        valid;
    logic [15:0] tag;
    logic [63:0] data;
    logic [2:0]  status;  // 0 OK, 3 size, 4 decode, 5 undefined (negated enum gic_status)
    logic        reserved;
  } gic_rsp_t;

  // The access taking effect in cycle E, for the trace port.
  typedef struct packed {
    logic        valid;
    logic [15:0] tag;
    logic [63:0] data;    // write: the data as presented; read: what the response will carry
    logic [2:0]  status;  // as gic_rsp_t
  } gic_eff_t;

  // The register access in its effect cycle, from gic_regport to every block.
  typedef struct packed {
    logic        we;      // write to a writable register
    logic        re;      // read of a readable register (IAR reads have side effects)
    gic_reg_e    id;
    logic [9:0]  idx;     // array element
    logic [7:0]  cpu;     // the CPU that issued it
    logic [63:0] wdata;   // write data moved to the register's byte lanes
    logic [63:0] wmask;   // byte lanes written
  } gic_acc_req_t;

  // The debug read (combinational, no side effect).
  typedef struct packed {
    gic_reg_e   id;
    logic [9:0] idx;
    logic [7:0] cpu;
  } gic_dbg_req_t;

  // A block's answer to both: the register read by the access (0 unless the block holds it and acc.re) and the
  // register at the debug read's offset (0 unless the block holds it); gic_top ORs the blocks' answers.
  typedef struct packed {
    logic [63:0] acc;
    logic [63:0] dbg;
  } gic_rdata_t;

  // An HPPI as the prioritiser sends it and the CPU interface holds it (the offer).
  typedef struct packed {
    logic       valid;
    logic [9:0] intid;
    logic [7:0] prio;
    logic       grp;
    logic [2:0] src;      // GICv2 SGI: the source CPU (IHI0048B 4.4.4 GICC_IAR.CPUID); 0 otherwise
  } gic_hppi_t;

  // An acknowledge of CPU cpu's offer (phase 2), checked by the distributor or the redistributor (ack_ok).
  typedef struct packed {
    logic       valid;
    logic [7:0] cpu;
    logic [9:0] intid;
    logic       grp;      // the group of the offer being acknowledged
    logic [2:0] src;      // GICv2 SGI: the source CPU of the offer
  } gic_ack_req_t;

  // A deactivation (phase 4) of INTID intid issued by CPU cpu: EOI/DIR, or a HW=1 list register's pINTID.
  typedef struct packed {
    logic       valid;
    logic [7:0] cpu;
    logic [9:0] intid;
  } gic_deact_t;

  // SGI generation (phase 2): by a GICv3 CPU interface (ICC_SGI0R/SGI1R/ASGI1R_EL1: only where the SGI is in group
  // grp), or by the GICv2 GICD_SGIR (any group, pending from source CPU src: IHI0048B 4.3.15).
  typedef struct packed {
    logic                valid;
    logic [3:0]          intid;
    logic                grp;
    logic                anygrp;   // GICv2: no group filter
    logic [2:0]          src;      // GICv2: the writing CPU
    logic [MAX_CPUS-1:0] targets;  // bit k: CPU k (bits NCPU and up are 0)
  } gic_sgi_t;

  // A guest EOI/DIR of a HW=1 list register, forwarded from the virtual CPU interface of CPU cpu.
  typedef struct packed {
    logic        valid;
    logic [7:0]  cpu;
    logic [9:0]  pintid;
    logic [31:0] vintid;  // observation: the list register's vINTID and index
    logic [3:0]  lr;
  } gic_hwfwd_t;
endpackage
