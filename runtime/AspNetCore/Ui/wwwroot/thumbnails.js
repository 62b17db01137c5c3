// A row of thumbnails (samples, examples) as one listbox with a roving tabindex: the whole list is a single Tab stop,
// the arrow keys move between thumbnails (left/right by one, up/down by a row as laid out), Home and End jump to the
// ends, Enter, Space or a click chooses one (aria-selected). With selectionFollowsFocus, moving also chooses.

/**
 * Fills `listbox` (role="listbox") with one option per item ({ content: Element, label: string }); onChoose(index) is
 * called when an option is chosen.
 */
export function fillListbox(listbox, items, { onChoose, selectionFollowsFocus = false }) {
  listbox.replaceChildren();
  const options = items.map(({ content, label }, index) => {
    const option = document.createElement('div');
    option.setAttribute('role', 'option');
    option.setAttribute('aria-selected', 'false');
    option.setAttribute('aria-label', label);
    option.tabIndex = index === 0 ? 0 : -1;
    option.className = 'thumb';
    option.append(content);
    option.addEventListener('click', () => {
      focus(index);
      choose(index);
    });
    listbox.append(option);
    return option;
  });

  function focus(index) {
    options.forEach((option, i) => { option.tabIndex = i === index ? 0 : -1; });
    options[index].focus();
  }

  function choose(index) {
    options.forEach((option, i) => option.setAttribute('aria-selected', String(i === index)));
    onChoose(index);
  }

  // Thumbnails per row as laid out now (the grid wraps with the screen width).
  function columns() {
    const top = options[0].offsetTop;
    const count = options.findIndex((option) => option.offsetTop !== top);
    return count === -1 ? options.length : count;
  }

  listbox.onkeydown = (event) => {
    const current = options.indexOf(document.activeElement);
    if (current === -1) return;
    let next;
    switch (event.key) {
      case 'ArrowRight': next = current + 1; break;
      case 'ArrowLeft': next = current - 1; break;
      case 'ArrowDown': next = current + columns(); break;
      case 'ArrowUp': next = current - columns(); break;
      case 'Home': next = 0; break;
      case 'End': next = options.length - 1; break;
      case 'Enter':
      case ' ':
        event.preventDefault();
        choose(current);
        return;
      default: return;
    }
    event.preventDefault();
    next = Math.max(0, Math.min(options.length - 1, next));
    if (next === current) return;
    focus(next);
    if (selectionFollowsFocus) choose(next);
  };
  return options;
}
