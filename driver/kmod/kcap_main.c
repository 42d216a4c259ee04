// SPDX-License-Identifier: GPL-2.0-only
/*
 * kcap's kernel module: per-CPU rings served as /dev/kcapN; settings,
 * syscall rows and the hooks to attach by ioctl (kcap_probe.c attaches
 * them, only while a reader captures).
 */
#include <linux/cdev.h>
#include <linux/cpumask.h>
#include <linux/device.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/magic.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/nsproxy.h>
#include <linux/proc_ns.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/version.h>
#include <linux/vmalloc.h>

#include "kcap_kmod.h"
#include "event_nparams.h"
#include "filler_table.h"
#include "hook_table.h"

static unsigned int ring_bytes = KCAP_KMOD_RING_DEFAULT;
module_param(ring_bytes, uint, 0444);
MODULE_PARM_DESC(ring_bytes, "bytes of each per-CPU ring, a power of two (default 8 MiB)");

struct kcap_ring *kcap_rings;
struct kcap_settings kcap_settings = { .snaplen = KCAP_SNAPLEN_DEFAULT };
struct kcap_rows __rcu *kcap_rows;
long kcap_mntns_offset = -1;

static DEFINE_MUTEX(kcap_lock);		/* ioctls, opens and closes */
static unsigned int nr_readers;
static u64 hooks_attached;			/* enum kcap_hook_id bits */
static dev_t kcap_dev;
static struct cdev kcap_cdev;
static struct class *kcap_class;

static struct kcap_ring *file_ring(struct file *file)
{
	return file->private_data;
}

static int kcap_open(struct inode *inode, struct file *file)
{
	unsigned int cpu = iminor(inode);
	struct kcap_ring *r;

	if (cpu >= nr_cpu_ids || !cpu_possible(cpu))
		return -ENODEV;
	r = &kcap_rings[cpu];
	if (atomic_cmpxchg(&r->readers, 0, 1))
		return -EBUSY;
	mutex_lock(&kcap_lock);
	kcap_ring_reset(r);
	nr_readers++;
	mutex_unlock(&kcap_lock);
	file->private_data = r;
	return 0;
}

/*
 * The last reader gone, capture stops and every hook is detached: nobody
 * would drain the rings, and a hook nobody asked for costs nothing.
 */
static int kcap_release(struct inode *inode, struct file *file)
{
	struct kcap_ring *r = file_ring(file);

	mutex_lock(&kcap_lock);
	if (--nr_readers == 0) {
		WRITE_ONCE(kcap_settings.capture, 0);
		kcap_hooks_release();
		hooks_attached = 0;
	}
	mutex_unlock(&kcap_lock);
	atomic_set(&r->readers, 0);
	return 0;
}

static int kcap_mmap(struct file *file, struct vm_area_struct *vma)
{
	return kcap_ring_mmap(file_ring(file), vma);
}

/*
 * Where a mount namespace's ns_common lies in struct mnt_namespace, private
 * to fs/: the caller's namespace file gives its ns_common, its nsproxy the
 * namespace itself.
 */
static int find_mntns_offset(void)
{
	struct ns_common *ns = NULL;
	struct file *f;
	long off = -1;

	if (kcap_mntns_offset >= 0)
		return 0;
	f = filp_open("/proc/self/ns/mnt", O_RDONLY, 0);
	if (IS_ERR(f))
		return -EOPNOTSUPP;
	if (file_inode(f)->i_sb->s_magic == NSFS_MAGIC)
		ns = get_proc_ns(file_inode(f));
	if (ns && ns->ops && ns->ops->type == CLONE_NEWNS && current->nsproxy)
		off = (char *)ns - (char *)current->nsproxy->mnt_ns;
	filp_close(f, NULL);
	if (off < 0 || off > 1024)
		return -EOPNOTSUPP;
	WRITE_ONCE(kcap_mntns_offset, off);
	return 0;
}

static bool scope_valid(const struct kcap_scope *sc)
{
	unsigned int i;

	if (sc->fields >> KCAP_SCOPE_FIELDS || sc->negate & ~sc->fields)
		return false;
	for (i = 0; i < KCAP_SCOPE_FIELDS; i++)
		if (sc->n[i] > KCAP_SCOPE_VALUES || !sc->n[i] != !(sc->fields & (1u << i)))
			return false;
	return true;
}

/* Another pid field: the followed set starts again from its values. */
static bool scope_pids_differ(const struct kcap_scope *a, const struct kcap_scope *b)
{
	return a->fields != b->fields || a->negate != b->negate || a->follow != b->follow ||
	       a->n[KCAP_SCOPE_PID] != b->n[KCAP_SCOPE_PID] ||
	       memcmp(a->pid, b->pid, sizeof(a->pid));
}

static int set_settings(const void __user *arg)
{
	struct kcap_settings *s;
	int ret = -EINVAL;

	s = kmalloc(sizeof(*s), GFP_KERNEL);
	if (!s)
		return -ENOMEM;
	if (copy_from_user(s, arg, sizeof(*s))) {
		ret = -EFAULT;
		goto out;
	}
	if (s->snaplen > 65535 || !scope_valid(&s->scope))
		goto out;
	if (s->scope.fields & (1u << KCAP_SCOPE_MNTNS)) {
		ret = find_mntns_offset();
		if (ret)
			goto out;
	}
	WRITE_ONCE(kcap_settings.snaplen, s->snaplen ? s->snaplen : KCAP_SNAPLEN_DEFAULT);
	WRITE_ONCE(kcap_settings.skip_tgid, s->skip_tgid);
	WRITE_ONCE(kcap_settings.boot_epoch_ns, s->boot_epoch_ns);
	memcpy(kcap_settings.shed_types, s->shed_types, sizeof(s->shed_types));
	WRITE_ONCE(kcap_settings.shed_free, s->shed_free);
	if (scope_pids_differ(&s->scope, &kcap_settings.scope))
		kcap_traced_reset();
	/* Set while capture is off: the probes read it racily, as the rest. */
	memcpy(&kcap_settings.scope, &s->scope, sizeof(s->scope));
	ret = 0;
out:
	kfree(s);
	return ret;
}

/* One half of a row: no filler, or the event's filler with the event's count (the tables). */
static bool half_valid(u16 event, u8 filler, u8 nparams)
{
	if (!filler)
		return true;
	return filler < KCAP_FILLER_MAX && event < KCAP_EVENT_MAX &&
	       g_event_filler[event] == filler && g_event_nparams[event] == nparams;
}

static bool row_valid(const struct kcap_sc_row *r)
{
	return half_valid(r->enter_event, r->enter_filler, r->enter_nparams) &&
	       half_valid(r->exit_event, r->exit_filler, r->exit_nparams);
}

static int set_rows(const void __user *arg)
{
	struct kcap_rows_arg a;
	struct kcap_rows *rows, *old;
	unsigned int i;

	if (copy_from_user(&a, arg, sizeof(a)))
		return -EFAULT;
	if (a.count != SYSCALL_TABLE_SIZE || a.pad)
		return -EINVAL;
	rows = kmalloc(sizeof(*rows), GFP_KERNEL);
	if (!rows)
		return -ENOMEM;
	if (copy_from_user(rows->row, u64_to_user_ptr(a.rows), sizeof(rows->row))) {
		kfree(rows);
		return -EFAULT;
	}
	for (i = 0; i < SYSCALL_TABLE_SIZE; i++) {
		if (!row_valid(&rows->row[i])) {
			kfree(rows);
			return -EINVAL;
		}
	}
	old = rcu_replace_pointer(kcap_rows, rows, lockdep_is_held(&kcap_lock));
	if (old)
		kfree_rcu(old, rcu);
	return 0;
}

static int set_capture(const u32 __user *arg)
{
	u32 on;

	if (get_user(on, arg))
		return -EFAULT;
	if (on > 1)
		return -EINVAL;
	if (on && !hooks_attached)
		return -ENOENT;		/* nothing says what to capture yet */
	WRITE_ONCE(kcap_settings.capture, on);
	return 0;
}

static int set_hooks(void __user *arg)
{
	struct kcap_hooks_arg a;

	if (copy_from_user(&a, arg, sizeof(a)))
		return -EFAULT;
	if (a.want >> KCAP_HOOK_MAX)
		return -EINVAL;
	/* A syscall hook reads the rows: they come first. */
	if ((a.want & (1ull << KCAP_HOOK_sys_enter | 1ull << KCAP_HOOK_sys_exit)) &&
	    !rcu_access_pointer(kcap_rows))
		return -ENOENT;
	kcap_hooks_set(a.want, &a.missing);
	hooks_attached = a.want & ~a.missing;
	return copy_to_user(arg, &a, sizeof(a)) ? -EFAULT : 0;
}

static int set_uprobe(const void __user *arg)
{
	struct kcap_uprobe_arg a;
	struct inode *inode;
	struct file *f;
	int err;

	if (copy_from_user(&a, arg, sizeof(a)))
		return -EFAULT;
	f = fget(a.fd);
	if (!f)
		return -EBADF;
	inode = igrab(file_inode(f));
	fput(f);
	if (!inode)
		return -ENOENT;
	err = kcap_hook_set_uprobe(a.hook, inode, a.offset);
	if (err)
		iput(inode);
	return err;
}

static long kcap_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	void __user *uarg = (void __user *)arg;
	long err;

	mutex_lock(&kcap_lock);
	switch (cmd) {
	case KCAP_IOC_API_VERSION:
		err = put_user((u32)KCAP_KMOD_API_VERSION, (u32 __user *)uarg);
		break;
	case KCAP_IOC_SET_SETTINGS:
		err = set_settings(uarg);
		break;
	case KCAP_IOC_SET_ROWS:
		err = set_rows(uarg);
		break;
	case KCAP_IOC_SET_CAPTURE:
		err = set_capture(uarg);
		break;
	case KCAP_IOC_SET_HOOKS:
		err = set_hooks(uarg);
		break;
	case KCAP_IOC_SET_UPROBE:
		err = set_uprobe(uarg);
		break;
	case KCAP_IOC_GET_COUNTERS:
		err = copy_to_user(uarg, &file_ring(file)->page->counters,
				   sizeof(struct kcap_counters)) ? -EFAULT : 0;
		break;
	default:
		err = -ENOTTY;
	}
	mutex_unlock(&kcap_lock);
	return err;
}

static const struct file_operations kcap_fops = {
	.owner = THIS_MODULE,
	.open = kcap_open,
	.release = kcap_release,
	.mmap = kcap_mmap,
	.unlocked_ioctl = kcap_ioctl,
	.compat_ioctl = kcap_ioctl,
	.llseek = noop_llseek,
};

static void free_rings(void)
{
	unsigned int cpu;

	for_each_possible_cpu(cpu)
		kcap_ring_free(&kcap_rings[cpu]);
	kvfree(kcap_rings);
}

static int alloc_rings(void)
{
	unsigned int cpu;

	kcap_rings = kvcalloc(nr_cpu_ids, sizeof(*kcap_rings), GFP_KERNEL);
	if (!kcap_rings)
		return -ENOMEM;
	for_each_possible_cpu(cpu) {
		if (kcap_ring_alloc(&kcap_rings[cpu], cpu, ring_bytes)) {
			free_rings();
			return -ENOMEM;
		}
	}
	return 0;
}

static void destroy_devices(void)
{
	unsigned int cpu;

	for_each_possible_cpu(cpu)
		device_destroy(kcap_class, MKDEV(MAJOR(kcap_dev), cpu));
}

/* /dev/kcapN for every possible CPU, so hotplugged CPUs have theirs. */
static int create_devices(void)
{
	unsigned int cpu;

	for_each_possible_cpu(cpu) {
		struct device *d = device_create(kcap_class, NULL, MKDEV(MAJOR(kcap_dev), cpu),
						 NULL, KCAP_KMOD_DEVICE "%u", cpu);

		if (IS_ERR(d)) {
			destroy_devices();
			return PTR_ERR(d);
		}
	}
	return 0;
}

static int __init kcap_init(void)
{
	int err;

	if (ring_bytes < 2 * PAGE_SIZE || ring_bytes > (1u << 30) || !is_power_of_2(ring_bytes)) {
		pr_err("kcap: ring_bytes=%u: a power of two from %lu to 1 GiB is needed\n",
		       ring_bytes, 2 * PAGE_SIZE);
		return -EINVAL;
	}
	err = alloc_rings();
	if (err)
		return err;
	err = alloc_chrdev_region(&kcap_dev, 0, nr_cpu_ids, KCAP_KMOD_DEVICE);
	if (err)
		goto fail_rings;
	cdev_init(&kcap_cdev, &kcap_fops);
	kcap_cdev.owner = THIS_MODULE;
	err = cdev_add(&kcap_cdev, kcap_dev, nr_cpu_ids);
	if (err)
		goto fail_region;
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 4, 0)
	kcap_class = class_create(THIS_MODULE, KCAP_KMOD_DEVICE);
#else
	kcap_class = class_create(KCAP_KMOD_DEVICE);
#endif
	if (IS_ERR(kcap_class)) {
		err = PTR_ERR(kcap_class);
		goto fail_cdev;
	}
	err = create_devices();
	if (err)
		goto fail_class;
	pr_info("kcap: %u rings of %u bytes\n", num_possible_cpus(), ring_bytes);
	return 0;

fail_class:
	class_destroy(kcap_class);
fail_cdev:
	cdev_del(&kcap_cdev);
fail_region:
	unregister_chrdev_region(kcap_dev, nr_cpu_ids);
fail_rings:
	free_rings();
	return err;
}

static void __exit kcap_exit(void)
{
	kcap_hooks_release();	/* none attached without a reader, but say so */
	destroy_devices();
	class_destroy(kcap_class);
	cdev_del(&kcap_cdev);
	unregister_chrdev_region(kcap_dev, nr_cpu_ids);
	free_rings();
	rcu_barrier();		/* rows freed by kfree_rcu */
	kfree(rcu_dereference_protected(kcap_rows, 1));
}

module_init(kcap_init);
module_exit(kcap_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("kcap: system call capture into per-CPU rings");
MODULE_VERSION("0.1");
