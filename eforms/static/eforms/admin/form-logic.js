// Form logic chosen from lists in the form editor: a route's or a show-if condition's question
// and answer, and a route's page, come from the questions and pages above it in the same form,
// as the editor has them right now (saved or not). The value is kept in the field's own text
// input, which stays usable if this file fails to load; the server checks every reference on
// save whatever the browser sent (eforms/logic.py).
(() => {
  "use strict";

  const CONTENT = ["guidance", "inset", "details"];
  const NOT_TESTABLE = ["guidance", "inset", "details", "consent", "file_upload", "group"];
  const YES_NO = [
    { value: "yes", label: "Yes" },
    { value: "no", label: "No" },
  ];

  const escapeRegExp = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

  // By name only: the lists take over their text input's id (so its label points at them).
  function read(form, name) {
    const element = form.querySelector(`[name="${CSS.escape(name)}"]`);
    return element ? element.value.trim() : "";
  }

  // The live children of a StreamBlock or ListBlock, in the order the editor sees them. Wagtail
  // posts each child as PREFIX-N-type/-order/-deleted: the same contract the server reads.
  function children(form, prefix) {
    const pattern = new RegExp(`^${escapeRegExp(prefix)}-(\\d+)-order$`);
    const found = [];
    for (const input of form.querySelectorAll(`input[name$="-order"]`)) {
      const match = input.name.match(pattern);
      if (!match) continue;
      const child = `${prefix}-${match[1]}`;
      if (read(form, `${child}-deleted`) === "1") continue;
      found.push({ prefix: child, order: Number(input.value), type: read(form, `${child}-type`) });
    }
    return found.sort((a, b) => a.order - b.order);
  }

  function question(form, item) {
    const value = `${item.prefix}-value`;
    const result = {
      prefix: item.prefix,
      type: item.type,
      name: read(form, `${value}-name`),
      label: read(form, `${value}-label`) || read(form, `${value}-checkbox_label`),
      options: null,
      children: [],
    };
    if (item.type === "radios" || item.type === "checkboxes") {
      result.options = children(form, `${value}-options`).map((option) => ({
        value: read(form, `${option.prefix}-value-value`),
        label: read(form, `${option.prefix}-value-label`),
      }));
    } else if (item.type === "yes_no") {
      result.options = YES_NO;
    }
    if (item.type === "group") {
      result.children = children(form, `${value}-fields`).map((child) => question(form, child));
    }
    return result;
  }

  function readForm(form, root) {
    return children(form, root).map((page) => {
      const value = `${page.prefix}-value`;
      const questions =
        page.type === "page"
          ? children(form, `${value}-items`)
              .filter((item) => !CONTENT.includes(item.type))
              .map((item) => question(form, item))
          : [];
      const heading = read(form, `${value}-heading`);
      const name = read(form, `${value}-name`);
      const title = heading || (questions.length === 1 ? questions[0].label : "") || name;
      return { prefix: page.prefix, kind: page.type, name, title, questions };
    });
  }

  // Where this field sits: which page, route, question or group row it belongs to.
  function place(name) {
    let match = name.match(/^(.*?)-(\d+)-value-routes-(\d+)-value-(when-field|when-value|go_to)$/);
    if (match) {
      const route = `${match[1]}-${match[2]}-value-routes-${match[3]}-value`;
      return { root: match[1], page: `${match[1]}-${match[2]}`, route, condition: `${route}-when` };
    }
    match = name.match(
      /^(.*?)-(\d+)-value-items-(\d+)-value-(?:fields-(\d+)-value-)?show_if-(field|value)$/,
    );
    if (match) {
      const item = `${match[1]}-${match[2]}-value-items-${match[3]}`;
      const child = match[4] === undefined ? null : `${item}-value-fields-${match[4]}`;
      const condition = `${child || item}-value-show_if`;
      return { root: match[1], page: `${match[1]}-${match[2]}`, item, child, condition };
    }
    return null;
  }

  // The questions a condition may test: for a route, those on its page and earlier pages; for
  // a show-if, those asked before its question (in a repeating group, earlier in the group).
  function earlierQuestions(pages, where) {
    const result = [];
    for (const page of pages) {
      for (const asked of page.questions) {
        if (where.child && asked.prefix === where.item) {
          return asked.children.slice(
            0,
            asked.children.findIndex((c) => c.prefix === where.child),
          );
        }
        if (!where.route && asked.prefix === where.item) return result;
        result.push(asked);
      }
      if (where.route && page.prefix === where.page) return result;
    }
    return result;
  }

  function findQuestion(pages, where, name) {
    const scope = where.child
      ? pages.flatMap((p) => p.questions).find((q) => q.prefix === where.item)?.children || []
      : pages.flatMap((p) => p.questions);
    return scope.find((q) => q.name === name) || null;
  }

  function answerWords(asked, operator, value) {
    if (operator === "contains") return null;
    const values =
      operator === "one_of"
        ? value
            .split(",")
            .map((part) => part.trim())
            .filter(Boolean)
        : [value].filter(Boolean);
    const words = values.map(
      (v) => (asked && asked.options || []).find((o) => o.value === v)?.label || v,
    );
    return words.length > 1 ? `${words.slice(0, -1).join(", ")} or ${words.at(-1)}` : words[0] || "";
  }

  function describe(form, pages, where) {
    const name = read(form, `${where.condition}-field`);
    if (!name) return "";
    const operator = read(form, `${where.condition}-operator`) || "equals";
    const value = read(form, `${where.condition}-value`);
    const asked = findQuestion(pages, where, name);
    const label = `'${asked ? asked.label || asked.name : name}'`;
    const words = answerWords(asked, operator, value);
    return words === null ? `${label} contains “${value}”` : `${label} is ${words}`;
  }

  class FormLogicController extends window.StimulusModule.Controller {
    static values = { kind: String };

    connect() {
      this.input = this.element.querySelector("input");
      this.form = this.input.form;
      this.where = place(this.input.name);
      if (!this.form || !this.where) return;
      this.baseId = this.input.id;
      this.select = document.createElement("select");
      this.select.className = "eforms-logic__select";
      // Wagtail links the field's help text and errors to the widget's outer element.
      const describedBy = this.element.getAttribute("aria-describedby");
      if (describedBy) this.select.setAttribute("aria-describedby", describedBy);
      // Opening the list reads the form again, so it offers what is there now.
      this.select.addEventListener("focus", () => this.refresh(true));
      this.select.addEventListener("pointerdown", () => this.refresh(true));
      this.select.addEventListener("change", () => this.choose());
      this.input.after(this.select);
      if (this.kindValue !== "question") {
        this.summary = document.createElement("p");
        this.summary.className = "eforms-logic__summary help";
        this.summary.setAttribute("aria-live", "polite");
        this.summary.dataset.formLogicSummary = "";
        this.element.append(this.summary);
      }
      this.onFormChange = (event) => {
        if (event.target === this.select) return;
        window.requestAnimationFrame(() => this.refresh());
      };
      this.form.addEventListener("change", this.onFormChange);
      this.form.addEventListener("input", this.onFormChange);
      // Wagtail fills in the saved value just after the field is drawn.
      window.requestAnimationFrame(() => this.refresh());
    }

    disconnect() {
      if (this.form && this.onFormChange) {
        this.form.removeEventListener("change", this.onFormChange);
        this.form.removeEventListener("input", this.onFormChange);
      }
    }

    refresh(force = false) {
      this.force = force;
      const pages = readForm(this.form, this.where.root);
      if (this.kindValue === "question") this.showQuestions(pages);
      else if (this.kindValue === "answer") this.showAnswers(pages);
      else this.showPages(pages);
    }

    // Draw the list; a stored value that is no longer on offer stays, marked, so nothing is
    // lost silently (saving then says what is wrong).
    fill(groups, selected, { placeholder, multiple = false, missing }) {
      // Not while the editor is choosing from it (unless they have just opened it).
      if (!this.force && document.activeElement === this.select && this.select.options.length) {
        return;
      }
      this.select.replaceChildren();
      this.select.multiple = multiple;
      this.select.size = multiple ? Math.min(6, groups.flatMap((g) => g.options).length + 1) : 0;
      if (!multiple) this.select.append(new Option(placeholder, ""));
      const chosen = new Set(selected);
      for (const group of groups) {
        const parent = group.label ? document.createElement("optgroup") : this.select;
        if (group.label) {
          parent.label = group.label;
          this.select.append(parent);
        }
        for (const option of group.options) {
          const element = new Option(option.label, option.value);
          element.selected = chosen.has(option.value);
          parent.append(element);
          chosen.delete(option.value);
        }
      }
      for (const value of chosen) {
        if (!value) continue;
        const element = new Option(missing(value), value);
        element.selected = true;
        this.select.append(element);
      }
    }

    useSelect(show) {
      this.select.hidden = !show;
      this.input.hidden = show;
      this.select.id = show ? this.baseId : `${this.baseId}-list`;
      this.input.id = show ? `${this.baseId}-text` : this.baseId;
    }

    choose() {
      const values = Array.from(this.select.selectedOptions).map((o) => o.value);
      this.input.value = values.filter(Boolean).join(", ");
      this.input.dispatchEvent(new Event("change", { bubbles: true }));
      this.refresh();
    }

    showQuestions(pages) {
      const choices = earlierQuestions(pages, this.where)
        .filter((q) => q.name && !NOT_TESTABLE.includes(q.type))
        .map((q) => ({ value: q.name, label: q.label || q.name }));
      this.useSelect(true);
      this.fill([{ options: choices }], [this.input.value.trim()], {
        placeholder: "Choose an earlier question",
        missing: (value) => `Missing question “${value}” (choose another)`,
      });
    }

    showAnswers(pages) {
      const name = read(this.form, `${this.where.condition}-field`);
      const operator = read(this.form, `${this.where.condition}-operator`) || "equals";
      const asked = name ? findQuestion(pages, this.where, name) : null;
      const listed = asked && asked.options && operator !== "contains";
      this.useSelect(Boolean(listed));
      if (listed) {
        const current =
          operator === "one_of"
            ? this.input.value.split(",").map((part) => part.trim())
            : [this.input.value.trim()];
        this.fill([{ options: asked.options.filter((o) => o.value) }], current, {
          placeholder: "Choose an answer",
          multiple: operator === "one_of",
          missing: (value) => `Missing answer “${value}” (choose another)`,
        });
      }
      if (!this.where.route) {
        const condition = describe(this.form, pages, this.where);
        this.summary.textContent = condition ? `Only shown if ${condition}` : "";
      }
    }

    showPages(pages) {
      const own = pages.find((p) => p.prefix === this.where.page);
      const others = pages.filter((p) => p !== own && p.name);
      const option = (p) => ({ value: p.name, label: p.title });
      this.useSelect(true);
      this.fill(
        [
          { label: "Question pages", options: others.filter((p) => p.kind === "page").map(option) },
          { label: "Exit pages", options: others.filter((p) => p.kind !== "page").map(option) },
        ],
        [this.input.value.trim()],
        {
          placeholder: "Choose a page",
          missing: (value) => `Missing page “${value}” (choose another)`,
        },
      );
      const condition = describe(this.form, pages, this.where);
      const target = pages.find((p) => p.name === this.input.value.trim());
      this.summary.textContent =
        condition && this.input.value.trim()
          ? `If ${condition} → ${target ? target.title : this.input.value.trim()}`
          : "";
    }
  }

  window.wagtail.app.register("eforms-logic", FormLogicController);
})();
