"""The text of ``ckan openoverheid ...`` in the portal's language (``ckan.locale_default``).

Messages are English msgids in our catalogue, like every other string. Two things differ from a page:

- a command runs without a request, so there is no user language and ``tk._`` alone would answer the
  msgid: :func:`_` translates inside a request context of the app that the ``ckan`` command built
  (only around the lookup, so the command's own work never runs as a fake request);
- help texts are declared at import time, before any configuration is read: they are marked with
  :func:`N_` and the ``Command``/``Group``/``Option`` classes here translate them when click shows them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import ckan.plugins.toolkit as tk
import click
from flask import Flask, current_app, has_app_context, has_request_context

F = TypeVar("F", bound=Callable[..., Any])


def N_(message: str) -> str:
    """Mark ``message`` for the catalogue; it is translated when shown."""
    return message


def _(message: str) -> str:
    """``message`` in the portal's language; the msgid itself when no app is at hand."""
    if has_request_context():
        return tk._(message)
    app = _portal_app()
    if app is None:
        return message
    with app.test_request_context():
        return tk._(message)


def _portal_app() -> Flask | None:
    context = click.get_current_context(silent=True)
    app = context.meta.get("flask_app") if context is not None else None  # set by the `ckan` command
    if app is None and has_app_context():
        app = current_app
    return app


# click's own words on a help page, which it looks up in no catalogue of ours
_CLICK_HEADINGS = (N_("Options"), N_("Commands"))


class _HelpFormatter(click.HelpFormatter):
    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, _("Usage:") + " " if prefix is None else prefix)

    def write_heading(self, heading: str) -> None:
        super().write_heading(_(heading) if heading in _CLICK_HEADINGS else heading)


class _Context(click.Context):
    formatter_class = _HelpFormatter


class _Translated:
    """A help text that click sets once as a msgid and reads, translated, whenever it shows it."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.slot = f"_{name}_msgid"

    def __get__(self, instance: Any, owner: type | None = None) -> Any:
        if instance is None:
            return self
        message = instance.__dict__.get(self.slot)
        return _(message) if message else message

    def __set__(self, instance: Any, message: str | None) -> None:
        instance.__dict__[self.slot] = message


class Command(click.Command):
    """A command whose help is shown in the portal's language. ``help`` and ``short_help`` hold msgids
    and read translated, for every way click shows them (CKAN's ``ckan --help`` reads ``short_help``)."""

    context_class = _Context
    help = _Translated()
    short_help = _Translated()

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = _("Show this message and exit.")
        return option


class Group(Command, click.Group):
    """A group whose help, and its subcommands' help, is shown in the portal's language."""

    command_class = Command
    group_class = type  # subgroups are of this class too


class Option(click.Option):
    """An option whose help is shown in the portal's language."""

    help = _Translated()


def command(name: str, help: str, **attrs: Any) -> Callable[[F], Command]:  # noqa: A002 - click's word
    """``click.command`` with help in the portal's language; ``help`` marked with :func:`N_`."""
    return click.command(name, cls=Command, help=help, **attrs)


def group(name: str | None, help: str, short_help: str, **attrs: Any) -> Callable[[F], Group]:  # noqa: A002
    """``click.group`` with help in the portal's language; texts marked with :func:`N_`."""
    return click.group(name, cls=Group, help=help, short_help=short_help, **attrs)


def option(*param_decls: str, help: str, **attrs: Any) -> Callable[[F], F]:  # noqa: A002
    """``click.option`` with help in the portal's language; ``help`` marked with :func:`N_`."""
    return click.option(*param_decls, cls=Option, help=help, **attrs)
