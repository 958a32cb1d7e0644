// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#pragma once

#if defined(CARINA_CORE_BUILDING)
#  define CARINA_CORE_EXPORT __attribute__((visibility("default")))
#else
#  define CARINA_CORE_EXPORT __attribute__((visibility("default")))
#endif
