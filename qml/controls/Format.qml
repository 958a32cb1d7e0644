// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
pragma Singleton
import QtQuick

// How Carina writes numbers: the user's locale for separators, a true minus sign, and as many
// decimals as the size of the value deserves unless the caller says.
QtObject {
    // Decimals for a value shown without a stated precision: 0 from 100 up, 1 from 10, else 2.
    function autoDecimals(value) {
        const a = Math.abs(value)
        return a >= 100 ? 0 : a >= 10 ? 1 : 2
    }
    // "−1,234.5"; an en dash for a missing value (NaN, infinity, undefined).
    function number(value, decimals) {
        if (value === undefined || value === null || !isFinite(value))
            return "\u2013"
        const d = decimals === undefined ? autoDecimals(value) : decimals
        const text = Number(value).toLocaleString(Qt.locale(), "f", d)
        return text.replace(/^-/, "\u2212")
    }
    // "−600 HU"; the unit left out when empty.
    function withUnit(value, unit, decimals) {
        const text = number(value, decimals)
        return unit && unit.length > 0 ? text + "\u202f" + unit : text
    }
    // "−700 … −300 HU"
    function range(low, high, unit, decimals) {
        return number(low, decimals) + " \u2026 " + withUnit(high, unit, decimals)
    }
    // A volume in mL with two decimals: lesions are small.
    function volumeMl(ml) {
        return withUnit(ml, "mL", 2)
    }
    // A patient coordinate with its side spelled out, as radiologists read it: LPS +z is "S",
    // -z is "I" ("I 165.5"), never a signed number with a side that contradicts it.
    function side(value, positive, negative) {
        return (value >= 0 ? positive : negative) + " " + Math.abs(value).toFixed(1)
    }
    // Whole counts with the locale's thousands separator.
    function count(n) {
        return number(Math.round(n), 0)
    }
}
