"""Chinese and English text for everything a person reads, and the choice of language.

Kept as plain Python (no gettext, no files to find) so that start-up reads nothing extra.
Every key has both languages, as a (中文, English) tuple; tests/test_i18n.py checks that none is
missing or empty and that both have the same {placeholders}.

Writing the texts:

- Chinese uses full-width punctuation: ，、：；（）！？ and 。 — ASCII stays only inside codes, numbers,
  times and examples (09:30, 20.5万, --port, YYYY-MM-DD). No Chinese text starts with ，、：；。 (nor
  a line of it). tests/test_i18n.py holds both rules.
- English plurals: after a count, write `{n:visit|visits}`, the singular and the plural of the word
  for the count `n`, split by |. tr() picks the singular when n is 1 and the plural otherwise:
  "{n} {n:visit|visits}" gives "1 visit" and "2 visits". Any placeholder can count
  (`{left:try|tries}`), and the word may sit anywhere in the text. Chinese needs no plural forms,
  so its text keeps a plain {n}; the placeholders stay the same in both languages. (A pair of keys
  `x_one` / `x_many`, the code choosing between them, also passes the tests; {n:…|…} is simpler.)
- Joining parts in code: list_text() ("学历、年龄" / "education, age"), labelled() ("可介绍：…" /
  "Talking points: …"), annotated() ("结班（Y）" / "Close (Y)") and bracketed() ("（…）" / "(…)") put
  the right punctuation between parts for the language, so a screen never glues Chinese with ", " or ": ".
  zh_punctuation_problems() is the rule as code, for tests of what a screen shows.
"""

from __future__ import annotations

import locale
import os
import re
from collections.abc import Iterable
from functools import cache

LANGS = ("zh", "en")

# key: (中文, English)
MESSAGES: dict[str, tuple[str, str]] = {
    # amounts
    "amount.empty": ("请输入金额", "Enter an amount"),
    "amount.negative": ("金额不能为负数：{text}", "An amount cannot be negative: {text}"),
    "amount.not_number": (
        "无法识别的金额：{text}（例如 200000、20万、1.2亿）",
        "Not an amount: {text} (for example 200000, 20万, 1.2亿)",
    ),
    "amount.too_fine": ("金额最多精确到分：{text}", "An amount is exact to the fen at most: {text}"),
    "amount.absurd": ("金额过大，请核对：{text}", "That amount is too large to be real; check it: {text}"),
    "amount.not_wan": (
        "无法识别的金额：{text}（本栏单位为万元，例如 20、20.5、5000元、1.2亿）",
        "Not an amount: {text} (this field is in 万, 10,000 CNY: for example 20, 20.5, 5000元, 1.2亿)",
    ),
    "amount.wan_check": (
        "本栏以万元计：{text} 即 {shown}。若是 {text} 元，请输入 {text}元；确为此数，请写 {unit_form}。",
        "This field is in 万: {text} is {shown}. For {text} CNY type {text}元; if that is right, type {unit_form}.",
    ),
    # ID numbers
    "id.empty": ("请输入身份证号码", "Enter an ID number"),
    "id.length": ("身份证号码应为18位（当前{n}位）", "A resident ID number has 18 characters (this has {n})"),
    "id.chars": ("身份证号码前17位应为数字，末位为数字或X", "An ID number is 17 digits and a final digit or X"),
    "id.region": ("身份证号码的地区码无效：{region}", "The ID number's region code is not valid: {region}"),
    "id.birth": ("身份证号码中的出生日期无效：{birth}", "The ID number's birth date is not a real date: {birth}"),
    "id.future": ("身份证号码中的出生日期晚于今天：{birth}", "The ID number's birth date is in the future: {birth}"),
    "id.too_old": (
        "身份证号码中的出生日期（{birth}）对应年龄超过{max}岁，请核对",
        "The ID number's birth date ({birth}) gives an age over {max}; check it",
    ),
    "id.check": (
        "身份证号码校验位不符，请核对后重新输入",
        "The ID number's check character is wrong; check it and type it again",
    ),
    # other fields
    "age.bad": ("年龄应为0到130之间的整数：{text}", "Age is a whole number from 0 to 130: {text}"),
    "education.bad": ("未知的学历：{text}（可用：{choices}）", "Unknown education level: {text} (one of: {choices})"),
    "date.bad": ("日期格式应为 YYYY-MM-DD：{text}", "A date is written YYYY-MM-DD: {text}"),
    "date.range": ("起始日期晚于结束日期：{start} > {end}", "The start date is after the end date: {start} > {end}"),
    "tier.unknown": ("未知的客户层级：{text}（可用：{choices}）", "Unknown tier: {text} (one of: {choices})"),
    "reason.unknown": ("未知的来访事由：{text}（可用：{choices}）", "Unknown visit reason: {text} (one of: {choices})"),
    "destination.unknown": ("未知的去向：{text}", "Unknown destination: {text}"),
    "phone.bad": ("手机号码应为11位数字：{text}", "A mobile number has 11 digits: {text}"),
    "last4.bad": ("请输入手机号后4位数字", "Enter the last 4 digits of the phone number"),
    "card.bad": ("卡号应为12到19位数字", "A card number has 12 to 19 digits"),
    "name.bad": ("请输入姓名", "Enter a name"),
    "number.bad": ("应为正整数：{text}", "Must be a positive whole number: {text}"),
    "search.digits": (
        "{n}位数字无法识别：手机后4位、11位手机号、12–19位卡号或18位身份证号",
        "{n} {n:digit fits|digits fit} nothing: phone last 4, an 11-digit phone, a 12-19 digit card or an 18-character ID",
    ),
    "lang.bad": ("语言应为 zh 或 en：{text}", "Language is zh or en: {text}"),
    # data files
    "rules.bad": ("数据文件 {file} 有误，{where}：{problem}", "Data file {file} is wrong at {where}: {problem}"),
    # database
    "db.newer": (
        "数据库 {path} 由更新版本的 lobby_tui 创建（版本 {found}，本程序支持 {supported}）；请升级程序，文件未改动。",
        "Database {path} was made by a newer lobby_tui (version {found}; this one knows {supported}); upgrade the app. The file was not changed.",
    ),
    "db.foreign": (
        "{path} 不是 lobby_tui 数据库，文件未改动。",
        "{path} is not a lobby_tui database; the file was not changed.",
    ),
    "db.damaged": (
        "数据库 {path} 已损坏或无法读取：{detail}。请从备份恢复；文件未改动。",
        "Database {path} is damaged or unreadable: {detail}. Restore it from a backup; the file was not changed.",
    ),
    "db.locked": (
        "数据库 {path} 正被其他程序占用，请稍后重试。",
        "Database {path} is busy in another program; try again in a moment.",
    ),
    "db.readonly": (
        "数据库 {path} 是只读的，无法保存。请检查文件权限。",
        "Database {path} is read-only, so nothing can be saved. Check the file's permissions.",
    ),
    "db.missing_dir": ("无法创建数据库 {path}：{detail}", "Cannot create the database {path}: {detail}"),
    "db.full": (
        "磁盘已满，无法保存到 {path}。已保存的数据未受影响。",
        "The disk is full; nothing more can be saved to {path}. What was already saved is safe.",
    ),
    "db.error": ("数据库 {path} 出错：{detail}", "Database {path} failed: {detail}"),
    "db.key_missing": (
        "找不到数据库 {path} 的密钥文件 {keyfile}：没有它无法按手机号、证件号或卡号查找客户。请从备份中恢复该文件（与数据库放在一起）。",
        "The key file {keyfile} of database {path} is missing: without it customers cannot be found by phone, ID or card number. Restore it from the backup, next to the database.",
    ),
    "db.key_bad": (
        "数据库 {path} 的密钥文件 {keyfile} 已损坏，请从备份恢复。",
        "The key file {keyfile} of database {path} is damaged; restore it from the backup.",
    ),
    "db.no_such_visit": ("找不到该来访记录：{id}", "No such visit: {id}"),
    # sign-in and staff
    "staff.exists": ("工号 {staff_id} 已存在", "Staff id {staff_id} already exists"),
    "signin.bad": ("工号或密码不正确", "Wrong staff id or PIN"),
    "signin.bad_pin": (
        "密码不正确，还可尝试 {left} 次",
        "Wrong PIN; {left} {left:try|tries} left before the account locks",
    ),
    "signin.locked": ("账号已锁定，请联系主管解锁", "This account is locked; ask a supervisor to unlock it"),
    "signin.inactive": ("账号已停用", "This account has been deactivated"),
    "pin.rule": ("密码须为6到8位数字", "A PIN is 6 to 8 digits"),
    "role.bad": ("未知的角色：{text}", "Unknown role: {text}"),
    "override.reason_needed": ("更改推荐去向须填写原因", "Changing the recommended destination needs a reason"),
    "outcome.bad": ("未知的结果：{text}", "Unknown outcome: {text}"),
    "cli.unexpected": ("意外错误：{detail}", "Unexpected error: {detail}"),
    # classification and figures, shared by the command line and the screens
    "flag.quality": ("优质客户", "Quality customer"),
    "flag.potential_quality": ("潜在优质：请询问他行资产", "Potential quality: ask about assets at other banks"),
    "tier.with_other": ("计入他行资产后为：{tier}", "With assets at other banks: {tier}"),
    "tier.missing": ("请询问：{what}（未知时按普通客户）", "Ask for: {what} (counted as ordinary until known)"),
    "tier.age": ("年龄：{age}岁", "Age: {age}"),
    "field.age": ("年龄", "age"),
    "field.education": ("学历", "education"),
    "ent.brand": ("服务品牌", "Brand"),
    "ent.outlets": ("物理网点", "Outlets"),
    "ent.e_channels": ("电子银行", "E-channels"),
    "ent.cards": ("银行卡", "Cards"),
    "ent.cash_management": ("现金管理", "Cash management"),
    "ent.investment": ("投资", "Investment"),
    "ent.planning": ("理财", "Planning"),
    "ent.insurance": ("保险", "Insurance"),
    "ent.loans": ("贷款", "Loans"),
    "ent.added_services": ("增值服务", "Added services"),
    "summary.title": ("{date} 营业日汇总", "Figures for {date}"),
    "summary.visits": ("来访", "Visits"),
    "summary.diversion_rate": ("分流率（自助+电子）", "Diversion rate (self-service + e-banking)"),
    "summary.quality": ("优质客户", "Quality customers"),
    "summary.potential_quality": ("潜在优质客户", "Potential quality"),
    "summary.referrals": ("推介", "Referrals"),
    "summary.left": ("未办理离开", "Left without service"),
    "summary.overrides": ("更改推荐", "Overrides"),
    "summary.by_tier": ("按客户层级", "By tier"),
    "summary.by_destination": ("按去向", "By destination"),
    "summary.by_reason": ("按来访事由", "By reason"),
    "summary.by_hour": ("按到达时段", "Arrivals by hour"),
    "summary.col.item": ("项目", "Item"),
    "summary.col.visits": ("来访", "Visits"),
    # command line
    "cli.demo.done": (
        "演示数据库已就绪：{path}（客户 {customers} 位，来访 {visits} 次）",
        "Demo database ready: {path} ({customers} {customers:customer|customers}, {visits} {visits:visit|visits})",
    ),
    "cli.demo.staff": (
        "登录账号 — 大堂经理：工号 {lm_id} 密码 {lm_pin}；主管：工号 {sv_id} 密码 {sv_pin}",
        "Sign in as — lobby manager: staff id {lm_id}, PIN {lm_pin}; supervisor: staff id {sv_id}, PIN {sv_pin}",
    ),
    "cli.demo.customers": ("生成客户名录", "Customer directory"),
    "cli.demo.visits": ("生成来访记录", "Visit history"),
    "cli.export.done": ("已导出 {n} 条来访记录", "Exported {n} {n:visit|visits}"),
    "cli.interrupted": ("已中断", "Interrupted"),
    # joining parts in code: list_text(), labelled(), annotated(), bracketed()
    "fmt.list_sep": ("、", ", "),
    "fmt.labelled": ("{label}：{value}", "{label}: {value}"),
    "fmt.annotated": ("{text}（{note}）", "{text} ({note})"),
    "fmt.bracketed": ("（{text}）", "({text})"),
}


def register(entries: dict[str, tuple[str, str]]) -> None:
    """Add a feature's messages. A key used twice is a mistake (one text would silently win), so
    it stops the program at import, where a test sees it."""
    clash = sorted(set(entries) & set(MESSAGES))
    if clash:
        raise KeyError(f"message keys defined twice: {', '.join(clash)}")
    MESSAGES.update(entries)


# {n:visit|visits}: the word for the count n, singular|plural (see the module's docstring).
_PLURAL = re.compile(r"\{(\w+):([^{}|]*)\|([^{}|]*)\}")


def _is_one(value: object) -> bool:
    try:
        return abs(float(str(value).replace(",", ""))) == 1
    except ValueError:
        return False


def _plurals(text: str, params: dict[str, object]) -> str:
    def word(match: re.Match[str]) -> str:
        name, one, other = match.groups()
        if name not in params:
            raise KeyError(name)
        return one if _is_one(params[name]) else other

    return _PLURAL.sub(word, text)


def tr(key: str, lang: str, **params: object) -> str:
    """The message for `key` in `lang` (zh or en), with its {placeholders} filled and its
    {n:singular|plural} words chosen for their counts."""
    pair = MESSAGES.get(key)
    if pair is None:
        return key
    text = pair[0] if lang == "zh" else pair[1]
    if not params:
        return text
    if "|" in text:
        text = _plurals(text, params)
    return text.format(**params)


def list_text(items: Iterable[str], lang: str) -> str:
    """Parts of a list as one text: 学历、年龄 / education, age."""
    return tr("fmt.list_sep", lang).join(items)


def labelled(label: str, value: str, lang: str) -> str:
    """A label and what it labels: 可介绍：… / Talking points: …"""
    return tr("fmt.labelled", lang, label=label, value=value)


def annotated(text: str, note: str, lang: str) -> str:
    """A text with a note in brackets after it: 结班（Y） / Close (Y)."""
    return tr("fmt.annotated", lang, text=text, note=note)


def bracketed(text: str, lang: str) -> str:
    """A text in brackets: （推荐去向：贵宾柜台） / (Recommended: Priority counter)."""
    return tr("fmt.bracketed", lang, text=text)


# Chinese characters, CJK punctuation and full-width forms.
_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef"


@cache
def _punctuation_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """ASCII punctuation beside Chinese, and a line that starts with the wrong mark (compiled when
    first checked, by the tests: not on every program's start)."""
    ascii_by_cjk = re.compile(f"[{_CJK}] *[,:;()!?]|[,:;()!?] *[{_CJK}]")
    # A line may start with box drawing (a screen's borders) before its text.
    bad_line_start = re.compile("(?:^|\n)[ \u2500-\u259f]*([，、。：；？！）])")
    return ascii_by_cjk, bad_line_start


def zh_punctuation_problems(text: str) -> list[str]:
    """What in a Chinese `text` breaks the rules of the module's docstring, each as the few characters
    around it: an ASCII , : ; ( ) ! or ? next to a Chinese character or full-width mark (spaces
    between still count as next to; ASCII between digits or letters, as in 09:30 or 1,200, is fine),
    and a line that starts with ，、。：；？！ or ）. Empty when all is well."""
    ascii_by_cjk, bad_line_start = _punctuation_patterns()
    found = [m.group(0) for m in ascii_by_cjk.finditer(text)]
    found += [m.group(0).lstrip("\n") for m in bad_line_start.finditer(text)]
    return found


def detect_lang(explicit: str | None = None) -> str:
    """--lang, then LOBBY_TUI_LANG, then the locale; English when none says Chinese."""
    for candidate in (explicit, os.environ.get("LOBBY_TUI_LANG")):
        if candidate:
            code = candidate.strip().lower()[:2]
            if code in LANGS:
                return code
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var)
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    try:
        loc = locale.getlocale()[0] or ""
    except ValueError:
        loc = ""
    return "zh" if loc.lower().startswith("zh") else "en"


# The larger features keep their messages in lobby_tui/messages/, merged here so that every message
# is known wherever tr() runs (plain dicts: importing them costs next to nothing).
from lobby_tui.messages import (  # noqa: E402,F401
    access,
    appointments,
    config,
    exports,
    feedback,
    help,
    hq,
    imports,
    integrity,
    leads,
    review,
    rules,
    serve,
    shiftlog,
    textual,
    waits,
)
