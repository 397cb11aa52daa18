/*
 * PrimeReact's accessibility gaps, closed once for every component through
 * its global pass-through options (PrimeReactProvider): axe-core finds
 * each of these on the pages that use the component.
 *
 * - InputSwitch and Checkbox put role="checkbox" on a wrapper around their
 *   own focusable <input role=switch|checkbox>: nested interactive
 *   controls. The input alone keeps the role, state and label.
 * - Dropdown keeps a hidden <select> copy of its value and a trigger with
 *   role="button" that cannot be focused, both without a name: hidden from
 *   assistive technology, which uses the labelled combobox input. Its
 *   root <div>, which has no role, gets aria-activedescendant (to
 *   "dropdownItem_-1" once an option is chosen): not allowed there.
 * - Chips calls its list of tokens a listbox without a name, holding an
 *   input item: a plain list.
 */
export const A11Y_PT = {
	inputswitch: { root: { role: undefined, 'aria-checked': undefined } },
	checkbox: { root: { role: undefined, 'aria-checked': undefined, 'aria-label': undefined } },
	dropdown: {
		root: { 'aria-activedescendant': undefined },
		select: { 'aria-hidden': true },
		trigger: { 'aria-hidden': true, role: undefined },
	},
	chips: {
		container: { role: 'list', 'aria-orientation': undefined, 'aria-activedescendant': undefined },
		token: { role: 'listitem', 'aria-selected': undefined },
		inputToken: { role: 'listitem' },
	},
};
