// gic_mutants_pkg.sv: the known bugs a build of the reference may carry on purpose (parameter TEST_MUTANT of gic_top),
// so that the lock-step tests prove their checks can fail (docs/rtl.md, "Mutants"). The product is MUT_NONE; no
// `ifdef in the product RTL.
package gic_mutants_pkg;
  localparam int MUT_NONE = 0;
  localparam int MUT_LR_DEACT = 1;          // a virtual deactivation clears the whole LR state, pending too
  localparam int MUT_QACTIVE = 2;           // qactive forgets the prioritiser (falls with an HPPI message in flight)
  localparam int MUT_EOICOUNT_NO_DROP = 3;  // every unlisted virtual EOI counts, dropped priority or not
  localparam int MUT_V2_IAR_CPUID = 4;      // GICv2: GICC_IAR returns an SGI without its source CPUID
  localparam int MUT_V2_ITARGETSR = 5;      // GICv2: a GICD_ITARGETSR write routes to the next CPU of each bit
  localparam int MUT_MISR_VGRP0D = 6;       // GICH_MISR/ICH_MISR_EL2.VGrp0D computed from the Group 1 enable
endpackage
