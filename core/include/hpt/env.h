/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The only header the core's logic includes for its environment.
 *
 * Each build puts exactly one platform directory on the include path
 * (core/platform/user for host programs, core/platform/linux for the
 * kernel module), and that directory's hpt_plat.h supplies the basic
 * types, errno values, byte order helpers for table words, memset and
 * memcpy.  Keeping the choice on the include path instead of in #ifdefs
 * lets core/src compile unchanged in both homes.
 */
#ifndef HPT_ENV_H
#define HPT_ENV_H

#include <hpt_plat.h>

#endif /* HPT_ENV_H */
