"""The module registry: each domain declares its blueprints, dependencies and flag.

`create_app` mounts enabled modules in dependency order. With
`MODULES_ENABLED=false` the registry is skipped and the fixed fallback list
is mounted instead (a kill-switch for a broken optional module).
"""
from __future__ import annotations

import importlib
import logging
from dataclasses import dataclass

from flask import Flask

log = logging.getLogger("app.modules")


@dataclass(frozen=True)
class Module:
    name: str
    blueprints: tuple[str, ...]  # "package.module:attribute"
    depends_on: tuple[str, ...] = ()
    flag: str | None = None
    setup: str | None = None  # "package.module:function" called with the app after its blueprints


MODULES = (
    Module("health", ("app.ops.health:bp",)),
    Module("auth", ("app.auth.views:bp", "app.auth.api:bp", "app.auth.team_views:bp")),
    Module("mail", ("app.mail.views:bp",), depends_on=("auth",)),
    Module("dashboard", ("app.ops.dashboard:bp",), depends_on=("auth", "inventory")),
    Module("inventory", ("app.inventory.api:bp", "app.inventory.views:bp"), depends_on=("auth",),
           setup="app.inventory.setup:setup_inventory"),
    Module("guests", ("app.guests.api:bp", "app.guests.views:bp"), depends_on=("auth", "inventory")),
    Module("pricing", ("app.pricing.api:bp", "app.pricing.views:bp"), depends_on=("auth", "inventory")),
    Module("listing", ("app.listing.api:bp", "app.listing.views:bp", "app.listing.media_views:bp"),
           depends_on=("auth", "inventory")),
    Module("channels", ("app.channels.api:bp", "app.channels.api:legacy_bp", "app.channels.feed:bp",
                        "app.channels.views:bp"),
           depends_on=("auth", "inventory", "pricing"), flag="CHANNELS_ENABLED",
           setup="app.channels.setup:setup_channels"),
    Module("public", ("app.public.views:bp", "app.public.api:bp", "app.public.domain_views:bp",
                      "app.public.site_pages:bp", "app.public.pages_api:bp", "app.public.page_views:bp",
                      "app.direct.views:bp"),
           depends_on=("auth", "inventory", "pricing", "listing"), flag="PUBLIC_SITE_ENABLED",
           setup="app.public.setup:setup_public_site"),
    Module("ops", ("app.ops.views:bp",), depends_on=("auth", "health"),
           setup="app.ops.rq_dashboard:mount_rq_dashboard"),
)
# pricing is in the fallback: every booking takes its price from the engine, and its pages are part of the form;
# listing too: the property form and page show its amenities and photos
FALLBACK_MODULES = ("health", "auth", "dashboard", "inventory", "pricing", "listing")


def load_target(target: str):
    module_name, _, attribute = target.partition(":")
    return getattr(importlib.import_module(module_name), attribute)


def dependency_order(modules: tuple[Module, ...]) -> list[Module]:
    by_name = {m.name: m for m in modules}
    ordered: list[Module] = []

    def visit(module: Module, path: tuple[str, ...]):
        if module in ordered:
            return
        if module.name in path:
            raise RuntimeError(f"Module dependency cycle: {' -> '.join(path + (module.name,))}")
        for dependency in module.depends_on:
            if dependency not in by_name:
                raise RuntimeError(f"Module {module.name} depends on unknown module {dependency}")
            visit(by_name[dependency], path + (module.name,))
        ordered.append(module)

    for module in modules:
        visit(module, ())
    return ordered


def enabled_modules(app: Flask) -> list[Module]:
    if not app.config["MODULES_ENABLED"]:
        log.warning("MODULES_ENABLED=false: mounting fallback modules %s", ", ".join(FALLBACK_MODULES))
        return [m for m in dependency_order(MODULES) if m.name in FALLBACK_MODULES]
    chosen = []
    for module in dependency_order(MODULES):
        if module.flag and not app.config[module.flag]:
            log.info("Module %s disabled by %s=false (its routes answer 404)", module.name, module.flag)
            continue
        if any(dep not in {m.name for m in chosen} for dep in module.depends_on):
            log.info("Module %s skipped: a dependency is not mounted", module.name)
            continue
        chosen.append(module)
    log.info("Module registry: mounting %s", ", ".join(m.name for m in chosen))
    return chosen


def register_modules(app: Flask) -> list[str]:
    mounted = enabled_modules(app)
    for module in mounted:
        for target in module.blueprints:
            app.register_blueprint(load_target(target))
        if module.setup:
            load_target(module.setup)(app)
    app.extensions["modules"] = [m.name for m in mounted]
    return app.extensions["modules"]
