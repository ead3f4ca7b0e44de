"""Messages for the customer's feedback (issue 11): the rating screen turned toward the customer, the
board's `v`, the figures and the shift log's entry; zh and en, merged into lobby_tui.i18n.MESSAGES."""

from lobby_tui.i18n import register

register(
    {
        # ---------------------------------------------------------------- the store's refusals
        "feedback.no_visit": ("找不到这次来访", "No such visit"),
        "feedback.cancelled": ("已取消的来访不能评价", "A cancelled visit cannot be rated"),
        "feedback.not_today": ("只能评价今天的来访", "Only today's visits can be rated"),
        "feedback.already": ("这次来访已经评价过了", "This visit has been rated already"),
        "feedback.score_bad": ("无效的评分：{text}", "Not a rating this scale offers: {text}"),
        "feedback.reason_bad": ("未知的评价原因：{text}", "Unknown reason for a rating: {text}"),
        "feedback.locked": ("客户的评价不能修改或删除", "A customer's rating cannot be changed or removed"),
        "chain.table.feedback": ("客户评价", "feedback"),  # named by `audit verify`
        # ---------------------------------------------------------------- the screen the customer sees
        "feedback.title": ("请您为本次服务评价", "How was our service today?"),
        "feedback.hint": ("点按或按数字键选择", "Tap one, or press its number"),
        "feedback.reason_title": ("哪方面可以做得更好？（可不选）", "What could we do better? (optional)"),
        "feedback.no_reason": ("不选", "Nothing to add"),
        "feedback.thanks": ("已记录评价：{label}", "Rating recorded: {label}"),
        "key.rate": ("评价", "Rate visit"),
        "key.skip_rating": ("跳过", "Skip"),
        # ---------------------------------------------------------------- the figures
        "satisfaction.title": ("客户评价", "Customer ratings"),
        "satisfaction.responses": ("评价数", "Ratings"),
        "satisfaction.average": ("平均分（满分 5 分）", "Average (of 5)"),
        "satisfaction.score": ("{n} 分", "Scored {n}"),
        "summary.average_rating": ("平均评分", "Average rating"),
        "trend.satisfaction_average": ("平均评分", "Average rating"),
        "compare.satisfaction": ("平均评分", "Average rating"),
        "compare.ratings": ("评价数", "Ratings"),
        # ---------------------------------------------------------------- the shift log
        "log.kind.feedback": ("低分评价", "Low rating"),
        "log.feedback": ("客户评价 {label}，票号 {ticket}", "The customer rated the visit {label}, ticket {ticket}"),
        "log.feedback_reason": ("原因：{reason}", "why: {reason}"),
    }
)
