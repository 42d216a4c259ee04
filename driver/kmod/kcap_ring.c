// SPDX-License-Identifier: GPL-2.0-only
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include "kcap_ring.h"

static void free_pages_array(struct page **pages, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		__free_page(pages[i]);
	kvfree(pages);
}

/* The data pages twice in a row, so a wrapping event is contiguous. */
static u8 *map_twice(struct page **pages, unsigned int n)
{
	struct page **twice = kvmalloc_array(2 * n, sizeof(*twice), GFP_KERNEL);
	unsigned int i;
	void *addr;

	if (!twice)
		return NULL;
	for (i = 0; i < 2 * n; i++)
		twice[i] = pages[i % n];
	addr = vmap(twice, 2 * n, VM_MAP, PAGE_KERNEL);
	kvfree(twice);
	return addr;
}

int kcap_ring_alloc(struct kcap_ring *r, int cpu, u32 size)
{
	unsigned int i, n = size >> PAGE_SHIFT;

	memset(r, 0, sizeof(*r));
	r->page = (void *)get_zeroed_page(GFP_KERNEL);
	r->pages = kvcalloc(n, sizeof(*r->pages), GFP_KERNEL);
	if (!r->page || !r->pages)
		goto fail;
	for (i = 0; i < n; i++) {
		r->pages[i] = alloc_pages_node(cpu_to_node(cpu), GFP_KERNEL | __GFP_ZERO, 0);
		if (!r->pages[i])
			goto fail_pages;
	}
	r->npages = n;
	r->data = map_twice(r->pages, n);
	if (!r->data)
		goto fail_pages;
	r->size = size;
	r->page->size = size;
	r->page->cpu = cpu;
	atomic_set(&r->readers, 0);
	return 0;

fail_pages:
	free_pages_array(r->pages, i);
	r->pages = NULL;
fail:
	kvfree(r->pages);
	free_page((unsigned long)r->page);
	r->page = NULL;
	return -ENOMEM;
}

void kcap_ring_free(struct kcap_ring *r)
{
	if (!r->page)
		return;
	vunmap(r->data);
	free_pages_array(r->pages, r->npages);
	free_page((unsigned long)r->page);
	r->page = NULL;
}

void kcap_ring_reset(struct kcap_ring *r)
{
	r->page->tail = r->page->head;
	memset(&r->page->counters, 0, sizeof(r->page->counters));
}

/* The ring page, then the data pages twice: see kcap_kmod_abi.h. */
int kcap_ring_mmap(struct kcap_ring *r, struct vm_area_struct *vma)
{
	unsigned long addr = vma->vm_start, len = vma->vm_end - vma->vm_start;
	unsigned int i;
	int err;

	/* The ring page alone tells a reader the size to map. */
	if (vma->vm_pgoff || (len != PAGE_SIZE && len != KCAP_RING_MAP_SIZE(r->size)))
		return -EINVAL;
	err = vm_insert_page(vma, addr, virt_to_page(r->page));
	if (len == PAGE_SIZE)
		return err;
	for (i = 0; !err && i < 2 * r->npages; i++) {
		addr += PAGE_SIZE;
		err = vm_insert_page(vma, addr, r->pages[i % r->npages]);
	}
	return err;
}
