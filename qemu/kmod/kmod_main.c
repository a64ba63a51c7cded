// SPDX-License-Identifier: GPL-2.0-only
/*
 * hptfuzz test module: the core in the kernel, and the hypervisor's own
 * HPT resize, on scenarios the host sends.
 *
 * On load it checks that a resize through the whole protocol (prepare,
 * background work on the system workqueue, commit) moves a bolted entry
 * where the hash says, and prints one line for the host to read.  Then,
 * in debugfs (hptfuzz/):
 *
 *   input  write a scenario's binary encoding (opening it truncates)
 *   load   write a file's path: its contents become the input, read
 *          here (no process copies it: a fork costs milliseconds under
 *          TCG)
 *   ctl    write a command; its report goes to the kernel log (and so
 *          the console) and can be read back here:
 *            core N       the core resizes a private table (kmod.h)
 *            hv-enter N   the VA entries go into the guest's HPT
 *            hv-check N   where they are after the guest's resize
 *            hv-prepare N S  the hypervisor prepares a resize to order S
 *                         for the guest kernel's next one (run_hv.c)
 *          N numbers the scenario in the report.
 *   run    write "FIRST DIR": every scenario of a prepared directory
 *          from FIRST on, each command in turn, in one write
 *          (run_batch.c); the write returns when all are done
 *
 * Why the kernel log: the console of a pseries guest takes 16 bytes per
 * hcall, and a tty write waits about 10 ms between two (hvc's poll), so a
 * report read from user space crawls at a few lines a second, while the
 * console driver prints kernel messages back to back.
 */
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/kernel_read_file.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "kmod.h"

/* 0x123456 ^ 0xabcd = 0x129f9b: group 0x79b at order 18, 0xf9b at 19 */
#define SELFTEST_V	((((0x123456ULL << 28 | 0x0abcd000ULL) >> 23) << 7) | \
			 HPT_V_BOLTED | HPT_V_ABSENT)
#define SELFTEST_R	0x100192ULL

/* The largest encoding: the header and every record at its longest */
#define HK_INPUT_MAX	(HPT_SCN_HEADER_BYTES + \
			 HPT_SCN_MAX_RECORDS * (1 + HPT_SCN_RAW_BYTES))

static DEFINE_MUTEX(hk_lock);
static struct dentry *hk_dir;
static u8 *hk_input;
static size_t hk_input_len;
static struct hpt_scenario *hk_scn;
static struct hk_report hk_rep;

static int hptfuzz_selftest(void)
{
	struct hpt_vm *vm = hk_vm_alloc(false, 18);
	u64 v, r, old_idx = 0x79b * 8 + 3, new_idx = 0xf9b * 8 + 3;
	long ret;

	if (!vm)
		return -ENOMEM;
	hpt_write_hpte(vm, hpt_hptep(&vm->hpt, old_idx), SELFTEST_V,
		       SELFTEST_R);
	vm->hpt.rev[old_idx].guest_rpte = SELFTEST_R;

	ret = hk_resize(vm, 19);
	if (!ret) {
		hpt_read_hpte(vm, hpt_hptep(&vm->hpt, new_idx), &v, &r);
		if (vm->hpt.order != 19 || v != SELFTEST_V || r != SELFTEST_R ||
		    vm->plat.violations)
			ret = -EINVAL;
	}
	pr_info("hptfuzz: selftest %s (%ld)\n", ret ? "FAILED" : "passed",
		ret);
	hk_vm_free(vm);
	return ret ? -EINVAL : 0;
}

static int hk_input_open(struct inode *inode, struct file *f)
{
	if (f->f_flags & O_TRUNC) {
		mutex_lock(&hk_lock);
		hk_input_len = 0;
		mutex_unlock(&hk_lock);
	}
	return 0;
}

static ssize_t hk_input_write(struct file *f, const char __user *ubuf,
			      size_t len, loff_t *pos)
{
	ssize_t ret = len;

	if (*pos < 0 || *pos > HK_INPUT_MAX || len > HK_INPUT_MAX - *pos)
		return -EFBIG;
	mutex_lock(&hk_lock);
	if (copy_from_user(hk_input + *pos, ubuf, len)) {
		ret = -EFAULT;
	} else {
		*pos += len;
		hk_input_len = max_t(size_t, hk_input_len, *pos);
	}
	mutex_unlock(&hk_lock);
	return ret;
}

static const struct file_operations hk_input_fops = {
	.owner = THIS_MODULE,
	.open = hk_input_open,
	.write = hk_input_write,
	.llseek = default_llseek,
};

int hk_load(const char *path)
{
	void *buf = hk_input;
	ssize_t ret;

	lockdep_assert_held(&hk_lock);
	ret = kernel_read_file_from_path(path, 0, &buf, HK_INPUT_MAX, NULL,
					 READING_UNKNOWN);
	hk_input_len = ret > 0 ? ret : 0;
	return ret;
}

static ssize_t hk_load_write(struct file *f, const char __user *ubuf,
			     size_t len, loff_t *pos)
{
	char *path;
	ssize_t ret;

	if (len >= PATH_MAX)
		return -ENAMETOOLONG;
	path = memdup_user_nul(ubuf, len);
	if (IS_ERR(path))
		return PTR_ERR(path);
	mutex_lock(&hk_lock);
	ret = hk_load(strim(path));
	mutex_unlock(&hk_lock);
	kfree(path);
	return ret < 0 ? ret : len;
}

static const struct file_operations hk_load_fops = {
	.owner = THIS_MODULE,
	.write = hk_load_write,
};

static void hk_command(const char *cmd, u32 index, int nargs, u32 arg)
{
	if (!strcmp(cmd, "hv-prepare")) {
		if (nargs == 3)
			hk_hv_pre_resize(index, arg, &hk_rep);
		else
			hk_printf(&hk_rep, "HPTK error=bad-command\n");
		return;
	}
	hpt_scn_decode(hk_scn, hk_input, hk_input_len);
	if (!strcmp(cmd, "core"))
		hk_run_core(hk_scn, index, &hk_rep);
	else if (!strcmp(cmd, "hv-enter"))
		hk_hv_enter(hk_scn, index, &hk_rep);
	else if (!strcmp(cmd, "hv-check"))
		hk_hv_check(index, &hk_rep);
	else
		hk_printf(&hk_rep, "HPTK error=unknown-command cmd=%s\n", cmd);
	if (hk_rep.overflow) {
		/* Better no report than a cut one: the host says so */
		hk_report_reset(&hk_rep);
		hk_printf(&hk_rep, "HPTK %s index=%u error=report-overflow\n",
			  cmd, index);
	}
}

/* One printk per line: each is a record no other message can split */
static void hk_emit(const struct hk_report *rep)
{
	const char *p = rep->buf, *end = rep->buf + rep->len, *eol;

	while (p < end) {
		eol = memchr(p, '\n', end - p);
		if (!eol)
			eol = end;
		pr_info("%.*s\n", (int)(eol - p), p);
		p = eol + 1;
		if (need_resched())
			cond_resched();
	}
}

void hk_do(const char *cmd, u32 index, int nargs, u32 arg)
{
	lockdep_assert_held(&hk_lock);
	hk_report_reset(&hk_rep);
	hk_command(cmd, index, nargs, arg);
	hk_emit(&hk_rep);
}

void hk_say(const char *fmt, ...)
{
	char line[256];
	va_list ap;

	lockdep_assert_held(&hk_lock);
	va_start(ap, fmt);
	vscnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	hk_report_reset(&hk_rep);
	hk_printf(&hk_rep, "%s", line);
	hk_emit(&hk_rep);
}

static ssize_t hk_ctl_write(struct file *f, const char __user *ubuf,
			    size_t len, loff_t *pos)
{
	char line[48], cmd[16];
	size_t n = min(len, sizeof(line) - 1);
	u32 index, arg;
	int nargs;

	if (copy_from_user(line, ubuf, n))
		return -EFAULT;
	line[n] = '\0';
	mutex_lock(&hk_lock);
	hk_report_reset(&hk_rep);
	nargs = sscanf(line, "%15s %u %u", cmd, &index, &arg);
	if (nargs >= 2)
		hk_command(cmd, index, nargs, arg);
	else
		hk_printf(&hk_rep, "HPTK error=bad-command\n");
	hk_emit(&hk_rep);
	mutex_unlock(&hk_lock);
	return len;
}

static ssize_t hk_ctl_read(struct file *f, char __user *ubuf, size_t len,
			   loff_t *pos)
{
	ssize_t ret;

	mutex_lock(&hk_lock);
	ret = simple_read_from_buffer(ubuf, len, pos, hk_rep.buf,
				      hk_rep.len);
	mutex_unlock(&hk_lock);
	return ret;
}

static const struct file_operations hk_ctl_fops = {
	.owner = THIS_MODULE,
	.write = hk_ctl_write,
	.read = hk_ctl_read,
	.llseek = default_llseek,
};

static ssize_t hk_run_write(struct file *f, const char __user *ubuf,
			    size_t len, loff_t *pos)
{
	char *line, *dir;
	u32 first;
	int ret;

	if (len >= PATH_MAX)
		return -ENAMETOOLONG;
	line = memdup_user_nul(ubuf, len);
	if (IS_ERR(line))
		return PTR_ERR(line);
	dir = strchr(strim(line), ' ');
	ret = -EINVAL;
	if (dir) {
		*dir++ = '\0';
		ret = kstrtou32(line, 10, &first);
	}
	if (!ret) {
		mutex_lock(&hk_lock);
		ret = hk_run_batch(first, strim(dir));
		mutex_unlock(&hk_lock);
	}
	kfree(line);
	return ret < 0 ? ret : len;
}

static const struct file_operations hk_run_fops = {
	.owner = THIS_MODULE,
	.write = hk_run_write,
};

static void hk_free(void)
{
	kvfree(hk_input);
	kvfree(hk_scn);
	hk_report_free(&hk_rep);
}

static int __init hptfuzz_init(void)
{
	int ret = hptfuzz_selftest();

	if (ret)
		return ret;
	hk_input = kvmalloc(HK_INPUT_MAX, GFP_KERNEL);
	hk_scn = kvzalloc(sizeof(*hk_scn), GFP_KERNEL);
	if (!hk_input || !hk_scn) {
		hk_free();
		return -ENOMEM;
	}
	hk_dir = debugfs_create_dir("hptfuzz", NULL);
	debugfs_create_file("input", 0200, hk_dir, NULL, &hk_input_fops);
	debugfs_create_file("load", 0200, hk_dir, NULL, &hk_load_fops);
	debugfs_create_file("ctl", 0600, hk_dir, NULL, &hk_ctl_fops);
	debugfs_create_file("run", 0200, hk_dir, NULL, &hk_run_fops);
	return 0;
}

static void __exit hptfuzz_exit(void)
{
	debugfs_remove_recursive(hk_dir);
	mutex_lock(&hk_lock);
	hk_hv_exit();
	mutex_unlock(&hk_lock);
	hk_free();
}

module_init(hptfuzz_init);
module_exit(hptfuzz_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("hptfuzz: the HPT resize core and the hypervisor's, in the kernel");
