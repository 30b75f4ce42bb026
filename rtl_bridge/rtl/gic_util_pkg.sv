// gic_util_pkg.sv: functions more than one block of the reference computes the same way: the CoreSight ID registers
// of the distributor and the redistributors, and the priority arithmetic of the physical and the virtual CPU
// interface (active priorities, priority grouping, the special INTIDs).
package gic_util_pkg;
  // GICD_PIDR4..CIDR3 / GICR_PIDR4..CIDR3 at word n of the ID block (IHI0069H 12.1.5); pidr0: the part number's
  // low byte, the one value that differs between the distributor and the redistributor.
  function automatic logic [31:0] gic_idr(input logic [9:0] n, input logic [7:0] pidr0);
    unique case (n)
      10'd0: return 32'h44;   // PIDR4
      10'd4: return 32'(pidr0);
      10'd5: return 32'hB4;   // PIDR1
      10'd6: return 32'h3B;   // PIDR2: ArchRev 3
      10'd8: return 32'h0D;   // CIDR0..3
      10'd9: return 32'hF0;
      10'd10: return 32'h05;
      10'd11: return 32'hB1;
      default: return 32'h0;
    endcase
  endfunction

  // GICv2 GICD_PIDR4..CIDR3 at word n of the ID block (IHI0048B 4.3.18, as QEMU's GICv2: part 0x90, ArchRev 2).
  function automatic logic [31:0] gic_idr_v2(input logic [9:0] n);
    unique case (n)
      10'd0: return 32'h04;   // PIDR4
      10'd4: return 32'h90;   // PIDR0
      10'd5: return 32'hB4;   // PIDR1
      10'd6: return 32'h2B;   // PIDR2: ArchRev 2
      10'd8: return 32'h0D;   // CIDR0..3
      10'd9: return 32'hF0;
      10'd10: return 32'h05;
      10'd11: return 32'hB1;
      default: return 32'h0;
    endcase
  endfunction

  // The index of the lowest set bit of w (0 when w is 0): five halvings instead of a loop over the bits.
  function automatic logic [4:0] gic_lsb32(input logic [31:0] w);
    logic [31:0] v;
    logic [4:0]  i;
    v = w;
    i = '0;
    if (v[15:0] == '0) begin i[4] = 1'b1; v = v >> 16; end
    if (v[7:0] == '0) begin i[3] = 1'b1; v = v >> 8; end
    if (v[3:0] == '0) begin i[2] = 1'b1; v = v >> 4; end
    if (v[1:0] == '0) begin i[1] = 1'b1; v = v >> 2; end
    if (!v[0]) i[0] = 1'b1;
    return (w == '0) ? 5'd0 : i;
  endfunction

  // The highest active priority of AP0R | AP1R (up to 128 bits, one per group priority): whether any bit is set and
  // the lowest set bit.
  typedef struct packed {
    logic       any;
    logic [7:0] bit_idx;
  } gic_ap_top_t;
  // Evaluated every cycle: the lowest non-zero 32-bit word, then the lowest set bit in it.
  function automatic gic_ap_top_t gic_ap_top(input logic [127:0] ap);
    gic_ap_top_t t;
    t = '0;
    for (int n = 0; n < 4; n++)
      if (!t.any && ap[32*n+:32] != '0) t = '{any: 1'b1, bit_idx: 8'(32 * n) | 8'(gic_lsb32(ap[32*n+:32]))};
    return t;
  endfunction

  // The running priority (ICC_RPR_EL1 / ICV_RPR_EL1) of the highest active priority with pre_bits preemption bits:
  // idle (0xFF) when none is active.
  function automatic logic [7:0] gic_rpr(input gic_ap_top_t t, input int unsigned pre_bits);
    return t.any ? 8'(t.bit_idx << (8 - pre_bits)) : 8'hFF;
  endfunction

  // The group priority of priority p in group g: BPR0 for Group 0 and, with CBPR, for Group 1 (IHI0069H 4.8.5).
  function automatic logic [7:0] gic_group_prio(input logic [7:0] p, input logic g, input logic cbpr,
                                                input logic [2:0] bpr0, input logic [2:0] bpr1);
    if (!g || cbpr) return p & 8'(8'hFF << (32'(bpr0) + 1));
    return p & 8'(8'hFF << bpr1);
  endfunction

  // ICC_BPR1_EL1 / ICV_BPR1_EL1 as read: with CBPR, min(BPR0 + 1, 7) (timing.md 4.9).
  function automatic logic [2:0] gic_bpr1_read(input logic cbpr, input logic [2:0] bpr0, input logic [2:0] bpr1);
    return cbpr ? ((bpr0 == 3'd7) ? 3'd7 : bpr0 + 3'd1) : bpr1;
  endfunction

  // INTIDs 1020..1023 (IHI0069H 2.2.1): an EOI or DIR of one changes nothing.
  function automatic logic gic_special_intid(input logic [23:0] intid);
    return intid >= 24'd1020 && intid <= 24'd1023;
  endfunction
endpackage
