/* vmm.c: a minimal KVM virtual machine monitor for arm64 (Linux KVM uapi only).
 *
 *   vmm --gic v2|v3 --vcpus 1|2 --eoimode 0|1 guest.bin
 *
 * One VM with 2 MiB of RAM at IPA 0x40000000 (the guest image is loaded at its start), 1 or 2
 * vCPUs that all start at the image's first instruction, and an in-kernel vGIC (v3: distributor
 * and redistributors; v2: distributor and CPU interface). Every vCPU starts with
 *   x0 = virtual EOImode, x1 = number of vCPUs, x2 = GIC version (2 or 3), x3 = vCPU index.
 * The guest writes console bytes to CONSOLE_ADDR (no memory there: KVM_EXIT_MMIO), one line
 * buffer per vCPU, printed whole; a write to EXIT_ADDR ends the VM with that value as exit status.
 * Writes to MARK_BASE..+4 KiB (the guest's case markers) are ignored.
 * Exit status: the guest's verdict (0 PASS, 1 FAIL); 3 KVM setup or run error; 4 watchdog.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* Guest physical memory map (IPA). The GIC frames match QEMU's virt machine. */
#define RAM_BASE 0x40000000ull
#define RAM_SIZE (2ull << 20)
#define GICD_BASE 0x08000000ull
#define GICC_BASE 0x08010000ull /* v2: CPU interface (KVM maps the host's GICV here) */
#define GICR_BASE 0x080A0000ull /* v3: 128 KiB (RD + SGI frame) per vCPU */
#define CONSOLE_ADDR 0x09000000ull
#define EXIT_ADDR 0x09000008ull
#define MARK_BASE 0x09001000ull /* guest case markers: writes are ignored (visible in traces) */
#define MARK_SIZE 0x1000ull
#define MAX_VCPUS 2
#define WATCHDOG_SEC 120

struct vcpu {
  int idx;
  int fd;
  struct kvm_run *run;
  pthread_t thread;
  char line[512];
  size_t len;
};

static int vm_fd;
static struct vcpu vcpus[MAX_VCPUS];
static int nvcpus = 1;
static pthread_mutex_t out_lock = PTHREAD_MUTEX_INITIALIZER;

static void fail(const char *what) {
  fprintf(stderr, "vmm: %s: %s\n", what, strerror(errno));
  exit(3);
}

static void flush_line(struct vcpu *v) {
  if (!v->len) return;
  pthread_mutex_lock(&out_lock);
  fwrite(v->line, 1, v->len, stdout);
  if (v->line[v->len - 1] != '\n') fputc('\n', stdout);
  fflush(stdout);
  pthread_mutex_unlock(&out_lock);
  v->len = 0;
}

static void finish(int status) {
  pthread_mutex_lock(&out_lock);
  for (int i = 0; i < nvcpus; i++) {
    struct vcpu *v = &vcpus[i];
    if (v->len) {
      fwrite(v->line, 1, v->len, stdout);
      fputc('\n', stdout);
    }
  }
  fflush(stdout);
  _exit(status);
}

static void on_alarm(int sig) {
  (void)sig;
  static const char msg[] = "vmm: watchdog: the guest did not finish\n";
  if (write(2, msg, sizeof msg - 1) < 0) { /* nothing to do */
  }
  _exit(4);
}

static uint64_t mmio_value(const struct kvm_run *r) {
  uint64_t v = 0;
  memcpy(&v, r->mmio.data, r->mmio.len <= 8 ? r->mmio.len : 8); /* little-endian host */
  return v;
}

static void *vcpu_loop(void *arg) {
  struct vcpu *v = arg;
  for (;;) {
    if (ioctl(v->fd, KVM_RUN, 0) < 0) {
      if (errno == EINTR || errno == EAGAIN) continue;
      fprintf(stderr, "vmm: vcpu %d: KVM_RUN: %s\n", v->idx, strerror(errno));
      finish(3);
    }
    struct kvm_run *r = v->run;
    switch (r->exit_reason) {
    case KVM_EXIT_MMIO:
      if (r->mmio.is_write && r->mmio.phys_addr == CONSOLE_ADDR) {
        char c = (char)r->mmio.data[0];
        if (v->len < sizeof v->line - 1) v->line[v->len++] = c;
        if (c == '\n' || v->len >= sizeof v->line - 1) flush_line(v);
      } else if (r->mmio.is_write && r->mmio.phys_addr == EXIT_ADDR) {
        flush_line(v);
        finish((int)(mmio_value(r) & 0xff));
      } else if (r->mmio.is_write && r->mmio.phys_addr - MARK_BASE < MARK_SIZE) {
        /* case marker: nothing to do */
      } else {
        fprintf(stderr, "vmm: vcpu %d: unhandled MMIO %s at 0x%llx len %u\n", v->idx,
                r->mmio.is_write ? "write" : "read", (unsigned long long)r->mmio.phys_addr,
                r->mmio.len);
        if (!r->mmio.is_write) memset(r->mmio.data, 0, sizeof r->mmio.data);
      }
      break;
    case KVM_EXIT_SYSTEM_EVENT:
      fprintf(stderr, "vmm: vcpu %d: system event %u (guest shut down without a verdict)\n", v->idx,
              r->system_event.type);
      finish(3);
      break;
    case KVM_EXIT_INTR: break;
    case KVM_EXIT_FAIL_ENTRY:
      fprintf(stderr, "vmm: vcpu %d: entry failed, reason 0x%llx\n", v->idx,
              (unsigned long long)r->fail_entry.hardware_entry_failure_reason);
      finish(3);
      break;
    case KVM_EXIT_INTERNAL_ERROR:
      fprintf(stderr, "vmm: vcpu %d: KVM internal error, suberror %u\n", v->idx,
              r->internal.suberror);
      finish(3);
      break;
    default:
      fprintf(stderr, "vmm: vcpu %d: unexpected exit reason %u\n", v->idx, r->exit_reason);
      finish(3);
    }
  }
  return NULL;
}

static void set_reg(int fd, uint64_t id, uint64_t val) {
  struct kvm_one_reg reg = { .id = id, .addr = (uint64_t)(uintptr_t)&val };
  if (ioctl(fd, KVM_SET_ONE_REG, &reg) < 0) fail("KVM_SET_ONE_REG");
}

#define CORE_REG(field)                                                                            \
  (KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM_CORE | KVM_REG_ARM_CORE_REG(field))

static void vgic_attr(int dev, uint32_t group, uint64_t attr, void *addr) {
  struct kvm_device_attr a = { .group = group, .attr = attr, .addr = (uint64_t)(uintptr_t)addr };
  if (ioctl(dev, KVM_SET_DEVICE_ATTR, &a) < 0) fail("KVM_SET_DEVICE_ATTR (vgic)");
}

static void usage(void) {
  fprintf(stderr, "usage: vmm --gic v2|v3 --vcpus 1|2 --eoimode 0|1 guest.bin\n");
  exit(3);
}

/* The command line: --gic, --vcpus (into nvcpus), --eoimode and the guest image; usage() otherwise. */
static const char *parse_args(int argc, char **argv, int *gic, int *eoimode) {
  const char *image = NULL;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--gic") && i + 1 < argc) {
      const char *g = argv[++i];
      if (!strcmp(g, "v2")) *gic = 2;
      else if (!strcmp(g, "v3")) *gic = 3;
      else usage();
    } else if (!strcmp(argv[i], "--vcpus") && i + 1 < argc) {
      nvcpus = atoi(argv[++i]);
      if (nvcpus < 1 || nvcpus > MAX_VCPUS) usage();
    } else if (!strcmp(argv[i], "--eoimode") && i + 1 < argc) {
      *eoimode = atoi(argv[++i]);
      if (*eoimode != 0 && *eoimode != 1) usage();
    } else if (argv[i][0] != '-' && !image) {
      image = argv[i];
    } else {
      usage();
    }
  }
  if (!image) usage();
  return image;
}

/* Guest RAM with the image at its start, registered as memory slot 0. */
static void load_guest(const char *image) {
  uint8_t *ram = mmap(NULL, RAM_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (ram == MAP_FAILED) fail("mmap guest RAM");
  int img = open(image, O_RDONLY | O_CLOEXEC);
  if (img < 0) fail("open guest image");
  struct stat st;
  if (fstat(img, &st) < 0) fail("stat guest image");
  if ((uint64_t)st.st_size > RAM_SIZE / 2) {
    fprintf(stderr, "vmm: guest image too large\n");
    exit(3);
  }
  for (off_t done = 0; done < st.st_size;) {
    ssize_t n = read(img, ram + done, (size_t)(st.st_size - done));
    if (n <= 0) fail("read guest image");
    done += n;
  }
  close(img);
  struct kvm_userspace_memory_region region = { .slot = 0,
                                                .guest_phys_addr = RAM_BASE,
                                                .memory_size = RAM_SIZE,
                                                .userspace_addr = (uint64_t)(uintptr_t)ram };
  if (ioctl(vm_fd, KVM_SET_USER_MEMORY_REGION, &region) < 0) fail("KVM_SET_USER_MEMORY_REGION");
}

/* The vCPUs, each with its kvm_run page, initialised with PSCI 0.2. */
static void create_vcpus(int kvm) {
  int run_size = ioctl(kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
  if (run_size <= 0) fail("KVM_GET_VCPU_MMAP_SIZE");
  struct kvm_vcpu_init init;
  memset(&init, 0, sizeof init);
  if (ioctl(vm_fd, KVM_ARM_PREFERRED_TARGET, &init) < 0) fail("KVM_ARM_PREFERRED_TARGET");
  init.features[0] |= 1u << KVM_ARM_VCPU_PSCI_0_2;
  for (int i = 0; i < nvcpus; i++) {
    struct vcpu *v = &vcpus[i];
    v->idx = i;
    v->fd = ioctl(vm_fd, KVM_CREATE_VCPU, i);
    if (v->fd < 0) fail("KVM_CREATE_VCPU");
    v->run = mmap(NULL, (size_t)run_size, PROT_READ | PROT_WRITE, MAP_SHARED, v->fd, 0);
    if (v->run == MAP_FAILED) fail("mmap kvm_run");
    if (ioctl(v->fd, KVM_ARM_VCPU_INIT, &init) < 0) fail("KVM_ARM_VCPU_INIT");
  }
}

/* The in-kernel vGIC, initialised once every vCPU exists. */
static void create_vgic(int gic) {
  struct kvm_create_device cd = { .type = gic == 3 ? KVM_DEV_TYPE_ARM_VGIC_V3
                                                   : KVM_DEV_TYPE_ARM_VGIC_V2 };
  if (ioctl(vm_fd, KVM_CREATE_DEVICE, &cd) < 0) fail("KVM_CREATE_DEVICE (vgic)");
  uint64_t dist = GICD_BASE, other = gic == 3 ? GICR_BASE : GICC_BASE;
  if (gic == 3) {
    vgic_attr((int)cd.fd, KVM_DEV_ARM_VGIC_GRP_ADDR, KVM_VGIC_V3_ADDR_TYPE_DIST, &dist);
    vgic_attr((int)cd.fd, KVM_DEV_ARM_VGIC_GRP_ADDR, KVM_VGIC_V3_ADDR_TYPE_REDIST, &other);
  } else {
    vgic_attr((int)cd.fd, KVM_DEV_ARM_VGIC_GRP_ADDR, KVM_VGIC_V2_ADDR_TYPE_DIST, &dist);
    vgic_attr((int)cd.fd, KVM_DEV_ARM_VGIC_GRP_ADDR, KVM_VGIC_V2_ADDR_TYPE_CPU, &other);
  }
  uint32_t nr_irqs = 64; /* 32 private + 32 SPIs: the minimum */
  vgic_attr((int)cd.fd, KVM_DEV_ARM_VGIC_GRP_NR_IRQS, 0, &nr_irqs);
  vgic_attr((int)cd.fd, KVM_DEV_ARM_VGIC_GRP_CTRL, KVM_DEV_ARM_VGIC_CTRL_INIT, NULL);
}

int main(int argc, char **argv) {
  int gic = 3, eoimode = 0;
  const char *image = parse_args(argc, argv, &gic, &eoimode);
  int kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
  if (kvm < 0) fail("open /dev/kvm");
  if (ioctl(kvm, KVM_GET_API_VERSION, 0) != KVM_API_VERSION) {
    fprintf(stderr, "vmm: unexpected KVM API version\n");
    return 3;
  }
  vm_fd = ioctl(kvm, KVM_CREATE_VM, 0);
  if (vm_fd < 0) fail("KVM_CREATE_VM");
  load_guest(image);
  create_vcpus(kvm);
  create_vgic(gic);

  /* Entry state: PC at the image, arguments in x0..x3 (PSTATE stays EL1h, DAIF masked). */
  for (int i = 0; i < nvcpus; i++) {
    int fd = vcpus[i].fd;
    set_reg(fd, CORE_REG(regs.pc), RAM_BASE);
    set_reg(fd, CORE_REG(regs.regs[0]), (uint64_t)eoimode);
    set_reg(fd, CORE_REG(regs.regs[1]), (uint64_t)nvcpus);
    set_reg(fd, CORE_REG(regs.regs[2]), (uint64_t)gic);
    set_reg(fd, CORE_REG(regs.regs[3]), (uint64_t)i);
  }

  signal(SIGALRM, on_alarm);
  alarm(WATCHDOG_SEC);
  for (int i = 0; i < nvcpus; i++)
    if (pthread_create(&vcpus[i].thread, NULL, vcpu_loop, &vcpus[i]) != 0) fail("pthread_create");
  for (int i = 0; i < nvcpus; i++) pthread_join(vcpus[i].thread, NULL);
  return 3; /* not reached: the guest's exit write ends the process */
}
