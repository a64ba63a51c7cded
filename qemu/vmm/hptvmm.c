// SPDX-License-Identifier: GPL-2.0-only
/*
 * hptvmm: the smallest VMM that puts a scenario's table through the HPT
 * resize of the host's own kvm-hv, on a bare-metal (powernv) POWER host.
 *
 *   hptvmm FILE...
 *
 * Each FILE is one scenario as hptfuzz-kvm prep writes it:
 *
 *   hptfuzz-kvm 1
 *   order OLD NEW
 *   slot ID GPA BYTES          (64K-aligned, as a 64K-page host needs)
 *   e IDX V R TOUCH            (words in the guest's pre-3.0 view)
 *   skip mmu-ready             (a self-test: the commit then finds the
 *                               MMU not ready, and the kernel warns)
 *
 * For each: a VM of type KVM_VM_PPC_HV, its HPT at the old order, the
 * memslots on anonymous memory, the MMU marked ready by writing one VRMA
 * entry through the HTAB fd (and removing it again), every entry written
 * through the HTAB fd (one record per write(): only the first record of
 * a write is taken), the resize (prepare until it stops asking for a
 * delay, then commit), and the table read back: through the HTAB fd (the
 * guest's view, and the table's size), and as stored, through the VM's
 * debugfs "htab" file (V as the hardware holds it, VALID apart from
 * ABSENT, the hardware R, the guest R), also before the resize, to show
 * what the kernel made of each entry it took.  TOUCH=1 faults the
 * entry's page in first, so the kernel makes the entry VALID rather than
 * ABSENT.  Everything goes to stdout, one fact per line, each starting
 * "KVMH ", read by hptfuzz-kvm judge.  Words are printed as read:
 * normalising (HVLOCK, ABSENT shown as VALID) is the judge's business.
 *
 * Exit status: 0 when every scenario ran (whatever the kernel said),
 * 1 when one could not be set up, 2 for unreadable input.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#include <endian.h>
#include <linux/kvm.h>

#define VMM_MAGIC	"hptfuzz-kvm 1"
#define MAX_SLOTS	32
#define MAX_ENTRIES	4096

#define V_VALID		0x1ULL
#define V_1TB_SEG	(1ULL << 62)
/* VRMA_VSID: the VSID kvm-hv recognises as the real-mode area's */
#define VRMA_VSID	0x1ffffffULL

/* A resize prepare keeps asking for a delay while it allocates: bound it */
#define PREPARE_BOUND_MS	20000
#define POLL_MS			2

struct slot {
	uint32_t id;
	uint64_t gpa, bytes;
	void *mem;
};

struct entry {
	uint64_t idx, v, r;
	int touch;
};

struct scenario {
	uint32_t old_order, new_order;
	struct slot slot[MAX_SLOTS];
	uint32_t nr_slots;
	struct entry *e;
	uint32_t nr_e;
	int skip_mmu_ready;
};

static int kvm_fd = -1;

static long long now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000LL + ts.tv_nsec / 1000;
}

static int read_scenario(const char *path, struct scenario *s)
{
	char line[256];
	unsigned long long a, b, c;
	unsigned int id, o, n;
	int touch, lineno = 0;
	FILE *f = fopen(path, "r");

	if (!f) {
		printf("KVMH error what=open errno=%d\n", errno);
		return -1;
	}
	s->nr_slots = 0;
	s->nr_e = 0;
	s->skip_mmu_ready = 0;
	while (fgets(line, sizeof(line), f)) {
		lineno++;
		if (lineno == 1) {
			if (strncmp(line, VMM_MAGIC, strlen(VMM_MAGIC)))
				goto bad;
			continue;
		}
		if (!strcmp(line, "skip mmu-ready\n")) {
			s->skip_mmu_ready = 1;
		} else if (sscanf(line, "order %u %u", &o, &n) == 2) {
			s->old_order = o;
			s->new_order = n;
		} else if (sscanf(line, "slot %u %llx %llx", &id, &a, &b) == 3 &&
			   s->nr_slots < MAX_SLOTS) {
			s->slot[s->nr_slots].id = id;
			s->slot[s->nr_slots].gpa = a;
			s->slot[s->nr_slots].bytes = b;
			s->slot[s->nr_slots].mem = NULL;
			s->nr_slots++;
		} else if (sscanf(line, "e %llx %llx %llx %d", &a, &b, &c,
				  &touch) == 4 && s->nr_e < MAX_ENTRIES) {
			s->e[s->nr_e].idx = a;
			s->e[s->nr_e].v = b;
			s->e[s->nr_e].r = c;
			s->e[s->nr_e].touch = touch;
			s->nr_e++;
		} else {
			goto bad;
		}
	}
	fclose(f);
	return 0;
bad:
	printf("KVMH error what=input line=%d\n", lineno);
	fclose(f);
	return -1;
}

/* One record of one entry per write(): the kernel takes only the first */
static int htab_write(int fd, uint64_t idx, uint16_t n_valid, uint64_t v,
		      uint64_t r, uint16_t n_invalid)
{
	/* An 8-byte header, then the words: no padding between them */
	struct {
		struct kvm_get_htab_header h;
		uint64_t w[2];
	} rec;
	size_t len = sizeof(rec.h) + (n_valid ? sizeof(rec.w) : 0);

	rec.h.index = idx;
	rec.h.n_valid = n_valid;
	rec.h.n_invalid = n_invalid;
	rec.w[0] = htobe64(v);
	rec.w[1] = htobe64(r);
	if (write(fd, &rec, len) != (ssize_t)len)
		return -errno;
	return 0;
}

static int htab_fd(int vm, int writing)
{
	struct kvm_get_htab_fd ghf = {
		.flags = writing ? KVM_GET_HTAB_WRITE : 0,
		.start_index = 0,
	};

	return ioctl(vm, KVM_PPC_GET_HTAB_FD, &ghf);
}

/* The slot an entry's guest page is in, its page faulted in */
static void touch(const struct scenario *s, uint64_t r)
{
	uint64_t gpa = r & 0x0ffffffffffff000ULL;
	uint32_t i;

	for (i = 0; i < s->nr_slots; i++)
		if (gpa >= s->slot[i].gpa &&
		    gpa - s->slot[i].gpa < s->slot[i].bytes) {
			/* A store: a read would map the shared zero page */
			((char *)s->slot[i].mem)[gpa - s->slot[i].gpa] = 1;
			return;
		}
}

/*
 * The table as stored, from debugfs (mounted by init.sh): one line per
 * VALID or ABSENT entry, "index v hr gr" in hex, HVLOCK already stripped
 */
static void dump_raw(const char *tag, int vm)
{
	unsigned long long i, v, hr, gr;
	char path[96], line[128];
	FILE *f;

	snprintf(path, sizeof(path), "/sys/kernel/debug/kvm/%d-%d/htab",
		 (int)getpid(), vm);
	f = fopen(path, "r");
	if (!f) {
		printf("KVMH %s-missing errno=%d\n", tag, errno);
		return;
	}
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%llx %llx %llx %llx", &i, &v, &hr, &gr) == 4)
			printf("KVMH %s idx=0x%llx v=0x%016llx hr=0x%016llx gr=0x%016llx\n",
			       tag, i, v, hr, gr);
	fclose(f);
	printf("KVMH %s-end\n", tag);
}

/* Read the current table back: every VALID (or ABSENT) entry, its size */
static int read_back(int vm)
{
	static unsigned char buf[65536];
	uint64_t next = 0, end = 0, i;
	struct kvm_get_htab_header h;
	unsigned char *p;
	uint64_t w[2];
	ssize_t n;
	int fd = htab_fd(vm, 0), done = 0;

	if (fd < 0) {
		printf("KVMH read error=%d\n", -errno);
		return -1;
	}
	while (!done) {
		n = read(fd, buf, sizeof(buf));
		if (n < 0) {
			printf("KVMH read error=%d\n", -errno);
			close(fd);
			return -1;
		}
		if (n == 0)
			break;
		for (p = buf; p + sizeof(h) <= buf + n;) {
			memcpy(&h, p, sizeof(h));
			p += sizeof(h);
			/* After the first pass the walk starts over: stop */
			if (h.index < next) {
				done = 1;
				break;
			}
			for (i = 0; i < h.n_valid; i++, p += sizeof(w)) {
				memcpy(w, p, sizeof(w));
				printf("KVMH e idx=0x%llx v=0x%016llx r=0x%016llx\n",
				       (unsigned long long)(h.index + i),
				       (unsigned long long)be64toh(w[0]),
				       (unsigned long long)be64toh(w[1]));
			}
			next = h.index + h.n_valid + h.n_invalid;
			end = next;
		}
	}
	close(fd);
	printf("KVMH table npte=0x%llx\n", (unsigned long long)end);
	return 0;
}

static int resize(int vm, uint32_t order)
{
	struct kvm_ppc_resize_hpt rhpt = { .flags = 0, .shift = order };
	long long t0 = now_us(), waited = 0;
	int ret, calls = 0;

	for (;;) {
		ret = ioctl(vm, KVM_PPC_RESIZE_HPT_PREPARE, &rhpt);
		calls++;
		if (ret <= 0 || waited > PREPARE_BOUND_MS)
			break;
		/*
		 * A delay in ms while the new table is allocated: the
		 * kernel asks for 100 ms however small the table, so poll
		 * instead, which keeps a scenario far below that.
		 */
		usleep(POLL_MS * 1000);
		waited += POLL_MS;
	}
	if (ret < 0)
		ret = -errno;
	printf("KVMH prepare rc=%d calls=%d us=%lld\n", ret, calls,
	       now_us() - t0);
	if (ret)
		return ret;
	t0 = now_us();
	ret = ioctl(vm, KVM_PPC_RESIZE_HPT_COMMIT, &rhpt);
	if (ret < 0)
		ret = -errno;
	printf("KVMH commit rc=%d us=%lld\n", ret, now_us() - t0);
	return ret;
}

/*
 * Writing a VRMA entry marks the MMU ready (as a vCPU's first run does)
 * without adding the thousands of VRMA entries a run maps; removed at
 * once, it leaves the table empty for the scenario.
 */
static int mmu_ready(int wfd)
{
	uint64_t v = V_1TB_SEG | (VRMA_VSID << 24) | V_VALID;
	int ret = htab_write(wfd, 0, 1, v, 0, 0);

	if (!ret)
		ret = htab_write(wfd, 0, 0, 0, 0, 1);
	return ret;
}

static int run(const char *path, struct scenario *s)
{
	uint32_t order, i, refused = 0;
	long long t0 = now_us();
	int vm, wfd, ret;

	if (read_scenario(path, s))
		return 2;
	printf("KVMH scenario file=%s old=%u new=%u slots=%u entries=%u\n",
	       path, s->old_order, s->new_order, s->nr_slots, s->nr_e);
	vm = ioctl(kvm_fd, KVM_CREATE_VM, KVM_VM_PPC_HV);
	if (vm < 0) {
		printf("KVMH error what=create-vm errno=%d\n", errno);
		return 1;
	}
	order = s->old_order;
	if (ioctl(vm, KVM_PPC_ALLOCATE_HTAB, &order) < 0 ||
	    order != s->old_order) {
		printf("KVMH error what=allocate-htab errno=%d order=%u\n",
		       errno, order);
		close(vm);
		return 1;
	}
	ret = 0;
	for (i = 0; i < s->nr_slots && !ret; i++) {
		struct kvm_userspace_memory_region mr = {
			.slot = s->slot[i].id,
			.guest_phys_addr = s->slot[i].gpa,
			.memory_size = s->slot[i].bytes,
		};

		s->slot[i].mem = mmap(NULL, s->slot[i].bytes,
				      PROT_READ | PROT_WRITE,
				      MAP_PRIVATE | MAP_ANONYMOUS |
				      MAP_NORESERVE, -1, 0);
		if (s->slot[i].mem == MAP_FAILED) {
			s->slot[i].mem = NULL;
			ret = -errno;
			break;
		}
		mr.userspace_addr = (uintptr_t)s->slot[i].mem;
		if (ioctl(vm, KVM_SET_USER_MEMORY_REGION, &mr) < 0)
			ret = -errno;
	}
	if (ret) {
		printf("KVMH error what=memslot slot=%u errno=%d\n", i, -ret);
		goto out;
	}
	wfd = htab_fd(vm, 1);
	if (wfd < 0 || (!s->skip_mmu_ready && mmu_ready(wfd))) {
		printf("KVMH error what=mmu-ready errno=%d\n", errno);
		ret = -EIO;
		if (wfd >= 0)
			close(wfd);
		goto out;
	}
	for (i = 0; i < s->nr_e; i++) {
		if (s->e[i].touch)
			touch(s, s->e[i].r);
		ret = htab_write(wfd, s->e[i].idx, 1, s->e[i].v, s->e[i].r, 0);
		if (ret) {
			printf("KVMH refused idx=0x%llx rc=%d\n",
			       (unsigned long long)s->e[i].idx, ret);
			refused++;
		}
	}
	close(wfd);
	printf("KVMH entered n=%u refused=%u us=%lld\n", s->nr_e - refused,
	       refused, now_us() - t0);
	dump_raw("pre", vm);
	ret = resize(vm, s->new_order);
	printf("KVMH resize rc=%d\n", ret);
	dump_raw("raw", vm);
	ret = read_back(vm) ? 1 : 0;
out:
	close(vm);
	for (i = 0; i < s->nr_slots; i++)
		if (s->slot[i].mem)
			munmap(s->slot[i].mem, s->slot[i].bytes);
	printf("KVMH done us=%lld\n", now_us() - t0);
	return ret;
}

int main(int argc, char **argv)
{
	struct scenario s = { 0 };
	int i, ret, worst = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: hptvmm FILE...\n");
		return 2;
	}
	s.e = calloc(MAX_ENTRIES, sizeof(*s.e));
	kvm_fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (!s.e || kvm_fd < 0) {
		printf("KVMH error what=open-kvm errno=%d\n", errno);
		return 1;
	}
	/* Whole reports at once: a console write per line is slow */
	setvbuf(stdout, NULL, _IOFBF, 1 << 16);
	for (i = 1; i < argc; i++) {
		ret = run(argv[i], &s);
		fflush(stdout);
		if (ret > worst)
			worst = ret;
	}
	return worst;
}
