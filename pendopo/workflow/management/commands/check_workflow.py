"""`pendopo check_workflow FILE [--json]`: validate a workflow definition (JSON or YAML) without saving it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from pendopo.workflow.definition import default_complaint_workflow, default_service_workflow, parse_definition


class Command(BaseCommand):
    help = "Check a workflow definition file against the rules; 'default-service' / 'default-complaint' print the defaults."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", help="A .json or .yaml file, or default-service / default-complaint.")
        parser.add_argument("--json", action="store_true", help="Print the result as JSON.")

    def handle(self, *args: Any, **options: Any) -> None:
        name = options["file"]
        defaults = {"default-service": default_service_workflow, "default-complaint": default_complaint_workflow}
        if name in defaults:
            data = defaults[name]()
        else:
            try:
                text = Path(name).read_text(encoding="utf-8")
                data = yaml.safe_load(text) if name.endswith((".yaml", ".yml")) else json.loads(text)
            except (OSError, ValueError, yaml.YAMLError) as exc:
                raise CommandError(_("Cannot read %(file)s: %(error)s") % {"file": name, "error": exc}) from None
        try:
            spec = parse_definition(data)
        except ValidationError as exc:
            problems = [{"code": e.code, "message": str(e.message % e.params if e.params else e.message)} for e in exc.error_list]
            if options["json"]:
                self.stdout.write(json.dumps({"valid": False, "errors": problems}, ensure_ascii=False))
            else:
                for problem in problems:
                    self.stdout.write(f"{problem['code']}: {problem['message']}")
            raise CommandError(_("The workflow is not valid (%(count)s problems).") % {"count": len(problems)}) from None
        if options["json"]:
            self.stdout.write(json.dumps({"valid": True, "definition": spec.as_json()}, ensure_ascii=False))
        else:
            self.stdout.write(
                _("Valid: %(states)s states, %(actions)s actions.") % {"states": len(spec.states), "actions": len(spec.actions)}
            )
