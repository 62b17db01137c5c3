// Light and dark themes: the system's choice ("auto"), or the one the Theme button cycles to, remembered in local
// storage. The button's visible text is its accessible name. A change is announced to views that draw with the theme's
// colours (a "themechange" event on document).

const ThemeKey = 'vaeonnx-ui-theme';
const Themes = ['auto', 'light', 'dark'];

function applyTheme(theme) {
  if (theme === 'auto') delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = theme;
  const button = document.getElementById('theme');
  button.textContent = `Theme: ${theme === 'auto' ? 'auto (system)' : theme}`;
  document.dispatchEvent(new Event('themechange'));
}

/** Applies the remembered theme and wires the button. */
export function setUpTheme() {
  let theme = 'auto';
  try { theme = localStorage.getItem(ThemeKey) ?? 'auto'; } catch { /* storage disabled: follow the system */ }
  applyTheme(Themes.includes(theme) ? theme : 'auto');
  document.getElementById('theme').addEventListener('click', () => {
    const current = document.documentElement.dataset.theme ?? 'auto';
    const next = Themes[(Themes.indexOf(current) + 1) % Themes.length];
    try { localStorage.setItem(ThemeKey, next); } catch { /* not remembered */ }
    applyTheme(next);
  });
  window.matchMedia('(prefers-color-scheme: dark)').addEventListener('change', () => document.dispatchEvent(new Event('themechange')));
}
