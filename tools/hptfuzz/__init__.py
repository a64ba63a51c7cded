# SPDX-License-Identifier: GPL-2.0-only
"""Scenario model, encodings, placement, oracle view and front ends for
the hptfuzz harness (standard library only)."""
