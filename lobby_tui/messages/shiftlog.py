"""Messages of the shift log (zh, en): the patrol checklist's three marks, closing a shift while
customers wait (they carry over to the next lobby manager), the day summary's hint; merged into
lobby_tui.i18n.MESSAGES. English plurals have a `_one` and a `_many` form."""

from lobby_tui.i18n import register

register(
    {
        # ---------------------------------------------------------------- the store's refusals
        "shiftlog.patrol_unchecked": (
            "有项目尚未检查：请逐项标记 ✓ 正常或 ✗ 异常。",
            "Some items are not checked yet: mark each ✓ fine or ✗ fault.",
        ),
        # ---------------------------------------------------------------- the patrol checklist
        "shiftlog.patrol_hint": (
            "数字键或空格：✓ 正常 · X：✗ 异常 · A：其余全部正常",
            "Number/Space ✓ fine · X ✗ fault · A all others fine",
        ),
        "shiftlog.item.ok": ("正常", "fine"),
        "shiftlog.item.unchecked": ("未检查", "to check"),
        "shiftlog.item.fault": ("异常", "FAULT"),
        "shiftlog.patrol_note": ("备注（有 ✗ 异常时必填）", "Note (needed for a ✗ fault)"),
        "shiftlog.patrol_still_to_check": (
            "尚未检查：{items}。请逐项标记 ✓ 正常或 ✗ 异常。",
            "Still to check: {items}. Mark each ✓ fine or ✗ fault.",
        ),
        "shiftlog.patrol_fault_note": (
            "标记为 ✗ 异常：{items}。请在备注中说明情况（按 N 到备注）。",
            "Marked ✗ fault: {items}. Say what is wrong in the note (N goes to it).",
        ),
        "shiftlog.patrol_pick_item": (
            "请先选中一项（数字键或 ↑↓），再按 X。",
            "Pick an item first (its number or ↑↓), then press X.",
        ),
        "key.rest_fine": ("其余全部正常", "All others fine"),
        "key.mark_fault": ("异常", "Fault"),
        "key.to_note": ("备注", "Note"),
        "key.mark_ok": ("正常", "Fine"),
        "shiftlog.with_key": ("{text}（{hotkey}）", "{text} ({hotkey})"),
        "key.previous_item": ("上一项", "Previous item"),
        "key.next_item": ("下一项", "Next item"),
        # ---------------------------------------------------------------- closing while customers wait
        "shiftlog.close_waiting_one": (
            "注意：还有 1 位客户在等候或接待中。结班后转入下一位登录的大堂经理的班次，记为“转交”。",
            "Warning: 1 customer is still waiting or being greeted. Closing carries them over to the shift "
            "of the next lobby manager who signs in, recorded as carried over.",
        ),
        "shiftlog.close_waiting_many": (
            "注意：还有 {n} 位客户在等候或接待中。结班后转入下一位登录的大堂经理的班次，记为“转交”。",
            "Warning: {n} customers are still waiting or being greeted. Closing carries them over to the "
            "shift of the next lobby manager who signs in, recorded as carried over.",
        ),
        "shiftlog.close_stale_one": (
            "该日还有 1 条来访标记为等候中：保持原样，不再计入在厅客户。",
            "1 visit of that day is still marked waiting: it stays as it is and no longer counts as in the branch.",
        ),
        "shiftlog.close_stale_many": (
            "该日还有 {n} 条来访标记为等候中：保持原样，不再计入在厅客户。",
            "{n} visits of that day are still marked waiting: they stay as they are and no longer count as "
            "in the branch.",
        ),
        "shiftlog.close_done_carried_one": (
            "已结班，记录已锁定。1 位等候中的客户已转交下一班。",
            "Shift closed; its log is locked. 1 waiting customer carried over to the next shift.",
        ),
        "shiftlog.close_done_carried_many": (
            "已结班，记录已锁定。{n} 位等候中的客户已转交下一班。",
            "Shift closed; its log is locked. {n} waiting customers carried over to the next shift.",
        ),
        # ---------------------------------------------------------------- the shift log's head
        "shiftlog.carried_in_one": (
            "转交：接手之前班次的等候客户 1 位",
            "Carried over: took over 1 waiting customer from an earlier shift",
        ),
        "shiftlog.carried_in_many": (
            "转交：接手之前班次的等候客户 {n} 位",
            "Carried over: took over {n} waiting customers from an earlier shift",
        ),
        "shiftlog.carried_out_one": (
            "转交：结班时 1 位客户仍在等候，已转交下一班",
            "Carried over: 1 customer still waiting at closing went to the next shift",
        ),
        "shiftlog.carried_out_many": (
            "转交：结班时 {n} 位客户仍在等候，已转交下一班",
            "Carried over: {n} customers still waiting at closing went to the next shift",
        ),
        "shiftlog.carried_pending": ("（{n} 位尚无人接手）", " ({n} not taken over yet)"),
        # ---------------------------------------------------------------- the day's summary
        "shiftlog.summary_hint": (
            "今日营业数字。L：班次日志。结班前请完成巡检和交接。",
            "Today's figures. L opens the shift log: patrol and hand over before closing.",
        ),
    }
)
