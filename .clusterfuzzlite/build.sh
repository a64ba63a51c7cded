#!/bin/bash -eu
# SPDX-License-Identifier: GPL-2.0-only
# ClusterFuzzLite builds exactly as OSS-Fuzz does: one build script for both
exec bash -eux "$SRC/hptfuzz/oss-fuzz/projects/hptfuzz/build.sh"
