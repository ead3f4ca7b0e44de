"""The problems a data file or a settings override can have (zh, en); merged into lobby_tui.i18n.MESSAGES.

The checks (lobby_tui/domain/rules.py, patrol.py, settings.py) word a problem in English, as one
string with its values in it; problem_text() finds which problem it is (_PATTERNS: a pattern over that
English, and the message that says it) and words it in the user's language, so `lobby-tui config
check` and the app's settings screen say it in Chinese too. A problem with no pattern stays English.
"""

from __future__ import annotations

import re
from functools import cache

from lobby_tui.i18n import register

register(
    {
        "rules.bad_file": ("数据文件 {file} 有误：{problem}", "Data file {file} is wrong: {problem}"),
        "config.not_folder": (
            "$LOBBY_TUI_CONFIG 应为一个文件夹，但 {path} 是文件：请改为存放覆盖文件的文件夹。",
            "$LOBBY_TUI_CONFIG must be a folder, but {path} is a file: point it at the folder of the overrides.",
        ),
        "config.no_folder": (
            "$LOBBY_TUI_CONFIG 指向的文件夹 {path} 不存在：请检查路径，或取消该变量。",
            "$LOBBY_TUI_CONFIG names the folder {path}, which does not exist: check the path, or unset it.",
        ),
        "rules.p.table": ("应为一个键值表", "expected a table of keys and values"),
        "rules.p.missing": ("缺少此项", "missing"),
        "rules.p.type": ("应为{kind}", "expected {kind}"),
        "rules.p.text_list": ("应为文本列表", "must be a list of text"),
        "rules.p.text": ("应为文本", "must be text"),
        "rules.p.lengths": ("zh 与 en 两个列表长度不同", "zh and en lists differ in length"),
        "rules.p.amount": ("不是金额：{text}", "not an amount: {text}"),
        "rules.p.no_more_levels": ("此处不应再有学历等级（由低到高）", "expected no more levels (lowest first)"),
        "rules.p.level_order": ("此处应为 {code}（由低到高）", "expected {code} (lowest first)"),
        "rules.p.levels": ("应有 {n} 个学历等级：{codes}", "expected {n} levels: {codes}"),
        "rules.p.tier_of": ("未知的层级 {code}，应为其中之一：{codes}", "unknown tier {code}; expected one of {codes}"),
        "rules.p.tier": ("未知的层级 {code}", "unknown tier {code}"),
        "rules.p.level": ("未知的学历 {code}", "unknown level {code}"),
        "rules.p.ages": (
            "年龄须满足 0 <= min_age <= max_age <= 130",
            "ages must satisfy 0 <= min_age <= max_age <= 130",
        ),
        "rules.p.colour": ("应为 #rrggbb 格式的颜色", "expected #rrggbb"),
        "rules.p.tiers_once": ("{codes} 应各出现一次，实际为 {found}", "expected each of {codes} once; found {found}"),
        "rules.p.tiers_order": ("层级须由高到低排列", "tiers must be listed highest first"),
        "rules.p.last_tier": (
            "最后一个层级须包含其余所有客户（min_assets 为 0，不设条件）",
            "the last tier must take everyone left (min_assets 0, no conditions)",
        ),
        "rules.p.some_of": ("未知的 {item}，可用：{allowed}", "unknown {item}; expected some of {allowed}"),
        "rules.p.one_line": ("最多60个字符，且只占一行", "at most 60 characters on one line"),
        "rules.p.positive": ("应为正整数", "must be a positive whole number"),
        "rules.p.score": ("应为 {low} 到 5 之间的分数", "expected a score from {low} to 5"),
        "rules.p.at_most": ("最多 {n} 项", "expected {n} or fewer"),
        "rules.p.letter": ("应为一个英文字母", "must be one letter"),
        "rules.p.destination": ("未知的去向 {code}", "unknown destination {code}"),
        "rules.p.reason": ("未知的来访事由 {code}", "unknown reason {code}"),
        "rules.p.key": ("应为一个小写字母或数字", "must be one lower-case letter or digit"),
        "rules.p.key_used": ("按键 {letter} 已被 {code} 使用", "key {letter} is already used by {code}"),
        "rules.p.channel": (
            "{code} 不是渠道（可用：self_service、e_banking）",
            "{code} is not a channel (self_service, e_banking)",
        ),
        "rules.p.setting": ("没有名为 {name} 的设置", "no setting called {name}"),
        "rules.p.sales": (
            "来访事由要么总是营销（sales），要么高于某一金额才是，二者只能选一",
            "a reason is a sales conversation always (sales) or above an amount",
        ),
        "rules.p.reasons_once": ("每个来访事由应出现一次，请检查 {code}", "expected each reason once; check {code}"),
        "rules.p.placeholder": (
            "占位符 {name} 未知或有误，可用：{allowed}",
            "unknown or broken placeholder {name}; use {allowed}",
        ),
        "rules.p.hours": ("小时应在0到23之间，且由早到晚", "hours must run 0-23, earliest first"),
        "rules.p.first_greeting": (
            "第一条问候语须从 from_hour = 0 开始",
            "the first greeting must start at from_hour = 0",
        ),
        "rules.p.column": ("未知的栏目 {code}，可用：{allowed}", "unknown column {code}; expected some of {allowed}"),
        "rules.p.text_or_columns": ("须有文字或栏目", "needs text or columns"),
        "rules.p.entries": ("至少需要一项", "expected at least one entry"),
        "rules.p.code": (
            "只能用小写字母、数字和 _，并以字母开头",
            "lower-case letters, digits and _ only, starting with a letter",
        ),
        "rules.p.twice": ("{code} 重复列出", "{code} is listed twice"),
        "rules.p.schema": ("本版本 lobby_tui 只能读取 schema 1", "this lobby_tui reads schema 1"),
        "rules.p.time": ("应为 HH:MM 格式的时间，实际为 {text}", "expected a time of day HH:MM, found {text}"),
        "rules.p.rounds_order": ("巡查须由早到晚排列", "rounds must be listed earliest first"),
        "rules.p.not_found": ("文件不存在", "file not found"),
        "rules.p.toml": ("不是有效的 TOML 文件：{detail}", "not valid TOML: {detail}"),
        "rules.p.utf8": ("不是 UTF-8 文本，请以 UTF-8 编码保存", "not UTF-8 text; save the file as UTF-8"),
        "rules.p.unknown_key": (
            "未知的键：程序自带的文件中没有此键（是否拼写有误？）",
            "unknown key: the packaged file has no such key (a typing slip?)",
        ),
        "rules.p.unknown_code": (
            "未知的代码：程序自带的文件中没有此代码",
            "unknown code: the packaged file has none such",
        ),
        "rules.kind.str": ("文本", "str"),
        "rules.kind.int": ("整数", "int"),
        "rules.kind.list": ("列表", "list"),
        "rules.kind.dict": ("键值表", "dict"),
        "rules.kind.bool": ("true 或 false", "bool"),
    }
)

# (the English a check words a problem in, as a pattern; its message). First match wins.
_PATTERNS = (
    (r"expected a table of keys and values", "rules.p.table"),
    (r"missing", "rules.p.missing"),
    (r"must be a list of text", "rules.p.text_list"),
    (r"must be text", "rules.p.text"),
    (r"zh and en lists differ in length", "rules.p.lengths"),
    (r"not an amount: (?P<text>.*)", "rules.p.amount"),
    (r"expected no more levels \(lowest first\)", "rules.p.no_more_levels"),
    (r"expected (?P<code>\S+) \(lowest first\)", "rules.p.level_order"),
    (r"expected (?P<n>\d+) levels: (?P<codes>.*)", "rules.p.levels"),
    (r"expected each of (?P<codes>.*) once; found (?P<found>.*)", "rules.p.tiers_once"),
    (r"expected each reason once; check (?P<code>.*)", "rules.p.reasons_once"),
    (r"expected #rrggbb", "rules.p.colour"),
    (r"expected at least one entry", "rules.p.entries"),
    (r"expected a time of day HH:MM, found (?P<text>.*)", "rules.p.time"),
    (r"expected (?P<kind>str|int|list|dict|bool)", "rules.p.type"),
    (r"unknown tier (?P<code>.*?); expected one of (?P<codes>.*)", "rules.p.tier_of"),
    (r"unknown tier (?P<code>.*)", "rules.p.tier"),
    (r"unknown level (?P<code>.*)", "rules.p.level"),
    (r"unknown destination (?P<code>.*)", "rules.p.destination"),
    (r"unknown reason (?P<code>.*)", "rules.p.reason"),
    (r"unknown column (?P<code>.*?); expected some of (?P<allowed>.*)", "rules.p.column"),
    (r"unknown or broken placeholder (?P<name>.*?); use (?P<allowed>.*)", "rules.p.placeholder"),
    (r"unknown key: the packaged file has no such key \(a typing slip\?\)", "rules.p.unknown_key"),
    (r"unknown code: the packaged file has none such", "rules.p.unknown_code"),
    (r"unknown (?P<item>.*?); expected some of (?P<allowed>.*)", "rules.p.some_of"),
    (r"ages must satisfy 0 <= min_age <= max_age <= 130", "rules.p.ages"),
    (r"tiers must be listed highest first", "rules.p.tiers_order"),
    (r"the last tier must take everyone left \(min_assets 0, no conditions\)", "rules.p.last_tier"),
    (r"at most 60 characters on one line", "rules.p.one_line"),
    (r"must be a positive whole number", "rules.p.positive"),
    (r"expected a score from (?P<low>\S+) to 5", "rules.p.score"),
    (r"expected (?P<n>\d+) or fewer", "rules.p.at_most"),
    (r"must be one letter", "rules.p.letter"),
    (r"must be one lower-case letter or digit", "rules.p.key"),
    (r"key (?P<letter>.*?) is already used by (?P<code>.*)", "rules.p.key_used"),
    (r"(?P<code>.*?) is not a channel \(self_service, e_banking\)", "rules.p.channel"),
    (r"no setting called (?P<name>.*)", "rules.p.setting"),
    (r"a reason is a sales conversation always \(sales\) or above an amount", "rules.p.sales"),
    (r"hours must run 0-23, earliest first", "rules.p.hours"),
    (r"the first greeting must start at from_hour = 0", "rules.p.first_greeting"),
    (r"needs text or columns", "rules.p.text_or_columns"),
    (r"lower-case letters, digits and _ only, starting with a letter", "rules.p.code"),
    (r"(?P<code>.*?) is listed twice", "rules.p.twice"),
    (r"this lobby_tui reads schema 1", "rules.p.schema"),
    (r"rounds must be listed earliest first", "rules.p.rounds_order"),
    (r"file not found", "rules.p.not_found"),
    (r"not valid TOML: (?P<detail>.*)", "rules.p.toml"),
    (r"not UTF-8 text; save the file as UTF-8", "rules.p.utf8"),
)


@cache
def problems() -> tuple[tuple[re.Pattern[str], str], ...]:
    """_PATTERNS compiled, on the first problem worded: every program imports this catalogue (the
    app's start among them) and few ever word a problem."""
    return tuple((re.compile(pattern, re.DOTALL), key) for pattern, key in _PATTERNS)


_LISTS = ("codes", "found", "allowed")


def problem_text(problem: str, lang: str) -> str:
    """A check's English `problem` in `lang` (as it is when no pattern knows it)."""
    from lobby_tui.i18n import tr

    if lang == "en":
        return problem
    for pattern, key in problems():
        found = pattern.fullmatch(problem)
        if found is None:
            continue
        params: dict[str, object] = dict(found.groupdict())
        for name in _LISTS:
            if name in params:
                params[name] = str(params[name]).replace(", ", "、")
        if "n" in params:
            params["n"] = int(str(params["n"]))
        if "kind" in params:
            params["kind"] = tr(f"rules.kind.{params['kind']}", lang)
        return tr(key, lang, **params)
    return problem
