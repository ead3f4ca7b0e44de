"""A staff id and PIN asked for on a terminal, typed as fast as anyone likes.

getpass turned echo off only once the PIN prompt was shown, and with TCSAFLUSH: a PIN typed straight
after the staff id (in one burst, as people who type it daily do) had already been echoed in the
clear by the terminal, and was then thrown away, leaving the prompt waiting. Here echo is off from
the first prompt on and nothing typed ahead is discarded: the staff id is echoed by this reader as
it is typed, the PIN never, and whatever comes after the staff id's Enter is the PIN.

Backspace deletes, Enter ends a field, Escape empties the field being typed; ^C stays an interrupt.
"""

from __future__ import annotations

import os

_ENTER = (b"\r", b"\n")
_BACKSPACE = (b"\x7f", b"\x08")
_ESCAPE = b"\x1b"
_END = b"\x04"  # ^D: no more input


def _field(fd_in: int, fd_out: int, *, echo: bool) -> str | None:
    """One field, read a byte at a time; None at the end of input before any Enter."""
    typed = bytearray()
    while True:
        byte = os.read(fd_in, 1)
        if not byte or (byte == _END and not typed):
            return None
        if byte in _ENTER:
            os.write(fd_out, b"\r\n")
            return typed.decode("utf-8", errors="replace").strip()
        if byte in _BACKSPACE:
            if typed:
                while typed and typed[-1] & 0xC0 == 0x80:  # a UTF-8 character's continuation bytes
                    typed.pop()
                if typed:
                    typed.pop()
                if echo:
                    os.write(fd_out, b"\b \b")
        elif byte == _ESCAPE:
            if echo and typed:
                os.write(fd_out, b"\b \b" * len(typed.decode("utf-8", errors="replace")))
            typed.clear()
        elif byte >= b" " or byte[0] >= 0x80:
            typed += byte
            if echo:
                os.write(fd_out, byte)


def ask_staff_and_pin(
    staff_prompt: str, pin_prompt: str, *, staff_id: str = "", pin: str = "", fd_in: int = 0, fd_out: int = 2
) -> tuple[str, str]:
    """(staff id, PIN) typed on the terminal `fd_in` (prompts on `fd_out`); what is given is not
    asked for. Empty strings for what was not typed (end of input)."""
    import termios

    saved = termios.tcgetattr(fd_in)
    quiet = termios.tcgetattr(fd_in)
    quiet[3] &= ~(termios.ECHO | termios.ICANON)  # lflags: this reader echoes; ISIG keeps ^C
    quiet[6][termios.VMIN], quiet[6][termios.VTIME] = 1, 0
    termios.tcsetattr(fd_in, termios.TCSANOW, quiet)  # TCSANOW: what was typed ahead stays
    try:
        if not staff_id:
            os.write(fd_out, staff_prompt.encode())
            staff_id = _field(fd_in, fd_out, echo=True) or ""
            if not staff_id:
                return "", ""
        if not pin:
            os.write(fd_out, pin_prompt.encode())
            pin = _field(fd_in, fd_out, echo=False) or ""
        return staff_id, pin
    finally:
        termios.tcsetattr(fd_in, termios.TCSANOW, saved)
