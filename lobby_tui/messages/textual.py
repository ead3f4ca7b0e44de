"""Textual's own English texts that a user of the app can reach, in both languages.

The keys panel (the palette's Keys command) lists the key bindings of Textual's widgets with
Textual's English descriptions; lobby_tui/ui/palette.py shows each as the message whose English is
that description. tests/test_i18n.py checks that every binding of the widgets the app uses has one,
so a Textual upgrade that adds or rewords a binding fails a test rather than shows English.
"""

from lobby_tui.i18n import register

BINDING_PREFIX = "textual.key."

register(
    {
        # the keys panel: group titles and binding descriptions of Textual's widgets (English as Textual has it)
        "textual.key.quit_tooltip": ("关闭程序，回到命令行", "Quit the app and return to the command prompt."),
        "textual.key.palette_tooltip": ("打开命令面板", "Open the command palette"),
        "textual.key.input": ("输入框", "Input"),
        "textual.key.collapsible": ("折叠面板", "Collapsible"),
        "textual.key.move_cursor_left": ("光标左移", "Move cursor left"),
        "textual.key.move_cursor_right_or_accept_the_completion_suggestion": (
            "光标右移或采用补全建议",
            "Move cursor right or accept the completion suggestion",
        ),
        "textual.key.go_to_start": ("移到开头", "Go to start"),
        "textual.key.go_to_end": ("移到末尾", "Go to end"),
        "textual.key.move_cursor_left_and_select": ("左移并选择", "Move cursor left and select"),
        "textual.key.move_cursor_right_and_select": ("右移并选择", "Move cursor right and select"),
        "textual.key.move_cursor_left_a_word": ("左移一个词", "Move cursor left a word"),
        "textual.key.move_cursor_right_a_word": ("右移一个词", "Move cursor right a word"),
        "textual.key.move_cursor_left_a_word_and_select": ("左移一个词并选择", "Move cursor left a word and select"),
        "textual.key.move_cursor_right_a_word_and_select": ("右移一个词并选择", "Move cursor right a word and select"),
        "textual.key.select_line_start": ("选择到开头", "Select line start"),
        "textual.key.select_line_end": ("选择到末尾", "Select line end"),
        "textual.key.select_all": ("全选", "Select all"),
        "textual.key.delete_character_left": ("删除左边一个字", "Delete character left"),
        "textual.key.delete_character_right": ("删除右边一个字", "Delete character right"),
        "textual.key.delete_left_to_start_of_word": ("删除到词首", "Delete left to start of word"),
        "textual.key.delete_right_to_start_of_word": ("删除到下一个词首", "Delete right to start of word"),
        "textual.key.delete_all_to_the_left": ("删除左边全部", "Delete all to the left"),
        "textual.key.delete_all_to_the_right": ("删除右边全部", "Delete all to the right"),
        "textual.key.submit": ("提交", "Submit"),
        "textual.key.cut_selected_text": ("剪切所选文字", "Cut selected text"),
        "textual.key.copy_selected_text": ("复制所选文字", "Copy selected text"),
        "textual.key.paste_text_from_the_clipboard": ("从剪贴板粘贴", "Paste text from the clipboard"),
        "textual.key.select": ("选择", "Select"),
        "textual.key.cursor_up": ("光标上移", "Cursor up"),
        "textual.key.cursor_down": ("光标下移", "Cursor down"),
        "textual.key.cursor_left": ("光标左移", "Cursor left"),
        "textual.key.cursor_right": ("光标右移", "Cursor right"),
        "textual.key.page_up": ("上一页", "Page up"),
        "textual.key.page_down": ("下一页", "Page down"),
        "textual.key.top": ("到顶部", "Top"),
        "textual.key.bottom": ("到底部", "Bottom"),
        "textual.key.home": ("到行首", "Home"),
        "textual.key.end": ("到行尾", "End"),
        "textual.key.up": ("上移", "Up"),
        "textual.key.down": ("下移", "Down"),
        "textual.key.first": ("第一项", "First"),
        "textual.key.last": ("最后一项", "Last"),
        "textual.key.page_up_list": ("向上翻页", "Page Up"),
        "textual.key.page_down_list": ("向下翻页", "Page Down"),
        "textual.key.page_left": ("向左翻页", "Page Left"),
        "textual.key.page_right": ("向右翻页", "Page Right"),
        "textual.key.scroll_up": ("向上滚动", "Scroll Up"),
        "textual.key.scroll_down": ("向下滚动", "Scroll Down"),
        "textual.key.scroll_left": ("向左滚动", "Scroll Left"),
        "textual.key.scroll_right": ("向右滚动", "Scroll Right"),
        "textual.key.scroll_home": ("滚动到顶部", "Scroll Home"),
        "textual.key.scroll_end": ("滚动到底部", "Scroll End"),
        "textual.key.press_button": ("按下按钮", "Press button"),
        "textual.key.toggle": ("勾选或取消", "Toggle"),
        "textual.key.show_menu": ("展开选项", "Show menu"),
        "textual.key.dismiss_menu": ("收起选项", "Dismiss menu"),
        "textual.key.previous_tab": ("上一个页签", "Previous tab"),
        "textual.key.next_tab": ("下一个页签", "Next tab"),
        "textual.key.toggle_collapsible": ("展开或收起", "Toggle collapsible"),
        "textual.key.focus_next": ("下一项", "Focus Next"),
        "textual.key.focus_previous": ("上一项", "Focus Previous"),
    }
)
