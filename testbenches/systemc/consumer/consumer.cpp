// consumer.cpp: smallest SystemC user of an installed gicsim::tlm: a GIC, one initiator, a write, a read and its timing.
#include <cstdio>
#include <cstring>

#include <tlm_utils/simple_initiator_socket.h>

#include "gicsim/gic_tlm.h"

struct Cpu : sc_core::sc_module {
    tlm_utils::simple_initiator_socket<Cpu, 64> socket;
    bool ok = false;
    SC_HAS_PROCESS(Cpu);
    explicit Cpu(sc_core::sc_module_name n) : sc_module(n), socket("socket") { SC_THREAD(run); }
    void run()
    {
        tlm::tlm_generic_payload gp;
        uint32_t v = 0xa0a0a0a0u;
        sc_core::sc_time d = sc_core::SC_ZERO_TIME;
        gp.set_command(tlm::TLM_WRITE_COMMAND);
        gp.set_address(0x420); // GICD_IPRIORITYR8
        gp.set_data_ptr(reinterpret_cast<unsigned char *>(&v));
        gp.set_data_length(4);
        gp.set_streaming_width(4);
        socket->b_transport(gp, d);
        bool w = gp.is_response_ok();
        v = 0;
        gp.set_command(tlm::TLM_READ_COMMAND);
        socket->b_transport(gp, d);
        ok = w && gp.is_response_ok() && v == 0xa0a0a0a0u && d == sc_core::sc_time(6, sc_core::SC_NS);
    }
};

int sc_main(int, char *[])
{
    struct gic_config cfg;
    gic_config_default(&cfg, GIC_V2);
    gicsim::Gic gic("gic", cfg);
    Cpu cpu("cpu");
    cpu.socket.bind(gic.gicd);
    sc_core::sc_start(1, sc_core::SC_US);
    std::printf("consumer: %s\n", cpu.ok ? "ok" : "FAILED");
    return cpu.ok ? 0 : 1;
}
