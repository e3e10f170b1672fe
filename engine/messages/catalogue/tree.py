"""Messages of unit trees (engine.tree, engine.bottom_up): problem code → Chinese and English (message, hint)."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, tuple[str, str]]] = {
    "tree_bad_figure": {
        "zh": ("无法理解的下级汇总 '{found}'", "{suggestion}写成 children.函数(对每个下级单位的表达式)，函数可用: {allowed}；如 children.mean(total)、children.count(total >= 90)。"),
        "en": ("cannot read the figure from the children '{found}'", "{suggestion}write children.FUNCTION(expression over one child), one of: {allowed}; e.g. children.mean(total), children.count(total >= 90)."),
    },
    "tree_unknown_type": {
        "zh": ("下级单位类型 '{found}' 未在 units.types 中声明", "{suggestion}已声明的类型: {allowed}。"),
        "en": ("child unit type '{found}' is not declared under units.types", "{suggestion}declared types: {allowed}."),
    },
    "tree_unknown_parent": {
        "zh": ("单位 {id} 的上级 '{found}' 不在单位名单中", "{suggestion}上级须是名单中某个单位的编号；最高一级的上级留空。"),
        "en": ("the parent '{found}' of unit {id} is not in the unit list", "{suggestion}a parent is the id of a listed unit; leave it blank at the top level."),
    },
    "tree_cycle": {
        "zh": ("单位的上级关系成环: {path}", "每个单位向上逐级查找，最终应到达上级为空的最高一级单位；改正其中一个单位的上级。"),
        "en": ("the parents form a cycle: {path}", "going up from any unit must end at a top-level unit (blank parent); correct the parent of one of them."),
    },
    "tree_no_children": {
        "zh": ("单位 {id} 没有下级单位，但它的计分要用下级汇总 {figure}（{title}，{where}）", "在单位名单中它的下级单位{types}的 {column} 列填上它的编号；或让这一项目不适用于它（applies_to）。"),
        "en": ("unit {id} has no children, but its scoring uses the figure {figure} ({title}, {where})", "list its children{types_en} with its id in the {column} column of the unit list, or make the item not apply to it (applies_to)."),
    },
    "tree_unsettled": {
        "zh": ("下级汇总 {figure} 不能逐级自下而上算出: 单位 {id} 的值在上级计分后由 {before} 变为 {after}", "下级单位的结果不能依赖上级单位的结果；如按得分排名评选时把各级单位放在一起排（改为 per_group 或按 unit_type 分开）。"),
        "en": ("the figure {figure} cannot be worked out level by level from the bottom: for unit {id} it moved from {before} to {after} once the parents were scored", "a child's results may not depend on its parent's, e.g. a ranking of every level together (rank per group or per unit type)."),
    },
}
