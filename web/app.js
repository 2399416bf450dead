/*
 * web/app.js - the Quartermaster dashboard's script, served by `qm serve` as
 * /static/app.js for web/index.html. It signs the user in with the session
 * cookie (POST /api/v1/login, GET /api/v1/me, POST /api/v1/logout), shows one
 * page at a time by the location's hash (#/overview, #/pledges,
 * #/requirements, #/gaps, #/training, #/burden, #/journal), fills it from the
 * JSON API of docs/api.md and draws the charts with Chart.js (the global
 * `Chart` of /static/chart.umd.js). Users who may write (coordinator, or donor:CODE for
 * its own pledges) get forms to add and revise pledges and to record
 * deliveries; the server checks every write, and its error message is shown
 * next to the form with the field marked. Every text from the API goes into
 * the page through textContent, never as HTML. Money arrives in integer euro
 * cents and is shown in whole euros (en-GB), rounded half away from zero.
 */
'use strict';

(function () {
	const API = '/api/v1';
	const PAGES = ['overview', 'pledges', 'requirements', 'gaps', 'training', 'burden', 'journal'];
	const TITLES = {
		overview: 'Overview',
		pledges: 'Pledges',
		requirements: 'Requirements',
		gaps: 'Gaps',
		training: 'Training',
		burden: 'Burden sharing',
		journal: 'Journal',
	};
	const JOURNAL_LIMIT = 50;
	const DELIVERY_CHART_ITEMS = 12;
	const REASONS = {
		400: 'Bad request',
		401: 'Not signed in',
		403: 'Not allowed',
		404: 'Not found',
		405: 'Not allowed here',
		409: 'Already there',
		413: 'Too large',
		415: 'Wrong content type',
		422: 'Not accepted',
		429: 'Too many attempts',
	};
	const COLOURS = {
		ink: '#1b1f24',
		grid: '#d5dae0',
		blue: '#1a4f8f',
		lightBlue: '#5b8cc6',
		navy: '#14365d',
		red: '#a4161a',
		green: '#1d6b3a',
		grey: '#6b7785',
		paleGrey: '#b8c1ca',
	};
	// one colour per skill in the calendar, in the order of the skills
	const SKILL_COLOURS = ['#1a4f8f', '#b35c00', '#1d6b3a', '#6a3d9a', '#0f766e', '#a4161a', '#4a5560', '#9c1f6e'];
	const DAY_MS = 86400000;
	const NARROW = '(max-width: 40rem)';

	const state = {
		user: null, // { name, role, kind, party }
		page: null,
		framework: '', // '' = the server's current framework
		frameworksLoaded: false,
		listsLoaded: false,
		loads: {},
		pledges: { q: '', donor: '', status: '', limit: 50, offset: 0, sort: '' },
		journal: { kind: '', key: '', offset: 0 },
		revise: null, // { key, record }
	};

	const $ = (id) => document.getElementById(id);

	// ---------------------------------------------------------------- format

	const intFormat = new Intl.NumberFormat('en-GB');
	const compactFormat = new Intl.NumberFormat('en-GB', { notation: 'compact', maximumFractionDigits: 1 });

	// Whole euros from integer cents, half away from zero: "12,345".
	function euros(cents) {
		if (cents === null || cents === undefined || cents === '') return '';
		const n = Number(cents);
		if (!Number.isFinite(n)) return String(cents);
		const sign = n < 0 ? -1 : 1;
		const whole = Math.floor((Math.abs(n) + 50) / 100);
		return intFormat.format(sign * whole);
	}

	function eur(cents) {
		return 'EUR ' + euros(cents);
	}

	function count(n) {
		if (n === null || n === undefined || n === '') return '';
		const v = Number(n);
		return Number.isFinite(v) ? intFormat.format(v) : String(n);
	}

	// Cents as a number of euros, for drawing only.
	function eurosForChart(cents) {
		return Number(cents || 0) / 100;
	}

	function compactEuros(value) {
		return '€' + compactFormat.format(Number(value));
	}

	// A decimal string ("0.7606") as a percentage ("76.06%") by moving the
	// point, without floating point.
	function percent(decimal) {
		if (decimal === null || decimal === undefined) return '';
		const text = String(decimal);
		const m = /^(-?)([0-9]*)(?:\.([0-9]*))?$/.exec(text);
		if (!m) return text;
		const frac = (m[3] || '').padEnd(2, '0');
		let whole = ((m[2] || '') + frac.slice(0, 2)).replace(/^0+(?=[0-9])/, '');
		if (whole === '') whole = '0';
		const rest = frac.slice(2);
		return m[1] + whole + (rest ? '.' + rest : '') + '%';
	}

	// a / b as a percentage with one decimal, for display.
	function share(a, b) {
		const x = Number(a);
		const y = Number(b);
		if (!(y > 0) || !Number.isFinite(x)) return '';
		return (Math.round((x / y) * 1000) / 10).toFixed(1) + '%';
	}

	function plural(n, one, many) {
		return count(n) + ' ' + (Number(n) === 1 ? one : many);
	}

	function today() {
		const d = new Date();
		const p = (n) => String(n).padStart(2, '0');
		return d.getFullYear() + '-' + p(d.getMonth() + 1) + '-' + p(d.getDate());
	}

	// -------------------------------------------------------------------- DOM

	// el('td', { className: 'num' }, 'text', childNode): text is always text.
	function el(tag, props, ...children) {
		const node = document.createElement(tag);
		if (props) {
			for (const [key, value] of Object.entries(props)) {
				if (value === undefined || value === null) continue;
				if (key === 'className') node.className = value;
				else if (key === 'text') node.textContent = String(value);
				else if (key === 'dataset') Object.assign(node.dataset, value);
				else if (key.startsWith('aria-') || key === 'role' || key === 'scope' || key === 'colspan') {
					node.setAttribute(key, String(value));
				} else node[key] = value;
			}
		}
		for (const child of children) {
			if (child === null || child === undefined || child === false) continue;
			node.append(typeof child === 'string' ? document.createTextNode(child) : child);
		}
		return node;
	}

	function clear(node) {
		while (node.firstChild) node.removeChild(node.firstChild);
	}

	function td(text, className) {
		return el('td', { className, text: text === null || text === undefined ? '' : String(text) });
	}

	function emptyRow(tbody, columns, text) {
		clear(tbody);
		tbody.append(el('tr', null, el('td', { colspan: columns, className: 'empty', text })));
	}

	// kind: '' (plain), 'error' or 'ok'
	function setStatus(node, text, kind) {
		node.classList.remove('is-error', 'is-ok');
		if (kind) node.classList.add('is-' + kind);
		node.textContent = text || '';
	}

	function figures(dl, pairs) {
		clear(dl);
		for (const [term, value] of pairs) {
			dl.append(el('div', null, el('dt', { text: term }), el('dd', { text: value })));
		}
	}

	// -------------------------------------------------------------------- API

	class ApiError extends Error {
		constructor(status, message, field) {
			super(message);
			this.status = status;
			this.field = field;
			this.retryAfter = null;
		}
	}

	function describe(err) {
		if (!(err instanceof ApiError)) return String(err && err.message ? err.message : err);
		if (err.status === 0) return err.message;
		const reason = REASONS[err.status] || (err.status >= 500 ? 'Server error' : 'Refused');
		return reason + ' (HTTP ' + err.status + '): ' + err.message;
	}

	async function api(method, path, body) {
		const init = { method, credentials: 'same-origin', headers: { Accept: 'application/json' } };
		if (body !== undefined) {
			init.headers['Content-Type'] = 'application/json';
			init.body = JSON.stringify(body);
		}
		let response;
		try {
			response = await fetch(path, init);
		} catch (e) {
			throw new ApiError(0, 'The server could not be reached (' + (e && e.message ? e.message : e) + ').', null);
		}
		const text = await response.text();
		let data = null;
		if (text !== '') {
			try {
				data = JSON.parse(text);
			} catch {
				data = null;
			}
		}
		if (!response.ok) {
			const e = data && typeof data === 'object' ? data.error : null;
			const message = e && typeof e.message === 'string' && e.message !== '' ? e.message
				: response.status + ' ' + (response.statusText || REASONS[response.status] || 'error');
			const err = new ApiError(response.status, message, e && typeof e.field === 'string' ? e.field : null);
			err.retryAfter = response.headers.get('Retry-After');
			if (response.status === 401 && state.user && !path.startsWith(API + '/login')) sessionEnded();
			throw err;
		}
		if (data === null && text !== '') throw new ApiError(response.status, 'The server sent an answer that is not JSON.', null);
		return data;
	}

	function query(params) {
		const q = new URLSearchParams();
		for (const [k, v] of Object.entries(params)) {
			if (v !== '' && v !== null && v !== undefined) q.set(k, String(v));
		}
		const s = q.toString();
		return s ? '?' + s : '';
	}

	// A function that says whether this load of a page is still the latest
	// one and the page is still shown.
	function ticket(page) {
		const n = (state.loads[page] || 0) + 1;
		state.loads[page] = n;
		return () => state.loads[page] === n && state.page === page && state.user !== null;
	}

	// ------------------------------------------------------------ users, roles

	function parseRole(role) {
		const text = String(role || '');
		const m = /^donor:(.+)$/.exec(text);
		if (m) return { kind: 'donor', party: m[1] };
		return { kind: text, party: null };
	}

	function mayWriteAny() {
		return state.user !== null && (state.user.kind === 'coordinator' || state.user.kind === 'donor');
	}

	function mayWritePledgeOf(donor) {
		if (!state.user) return false;
		if (state.user.kind === 'coordinator') return true;
		return state.user.kind === 'donor' && donor === state.user.party;
	}

	function showLogin(message) {
		state.user = null;
		destroyCharts();
		$('user-box').hidden = true;
		$('site-nav').hidden = true;
		for (const page of PAGES) $('page-' + page).hidden = true;
		$('view-login').hidden = false;
		state.page = null;
		document.title = 'Sign in - Quartermaster';
		setStatus($('app-message'), message || '');
		return $('view-login');
	}

	function sessionEnded() {
		if (!state.user) return;
		showLogin('Your session has ended. Sign in again to go on.');
		$('login-name').focus();
	}

	function signedIn(user, moveFocus) {
		const role = parseRole(user.role);
		state.user = { name: String(user.name), role: String(user.role), kind: role.kind, party: role.party };
		$('user-name').textContent = state.user.name;
		$('user-role').textContent = state.user.role;
		$('user-box').hidden = false;
		$('site-nav').hidden = false;
		$('view-login').hidden = true;
		$('login-password').value = '';
		setStatus($('login-status'), '');
		setStatus($('app-message'), '');
		setUpWriteForms();
		loadLists();
		showPage(routeFromHash() || 'overview', moveFocus);
	}

	async function onLogin(event) {
		event.preventDefault();
		const form = $('login-form');
		const nameInput = $('login-name');
		const passwordInput = $('login-password');
		const status = $('login-status');
		clearInvalid(form);
		const name = nameInput.value.trim();
		const password = passwordInput.value;
		if (name === '' || password === '') {
			const field = name === '' ? nameInput : passwordInput;
			markInvalid(field, status);
			setStatus(status, name === '' ? 'Enter your name.' : 'Enter your password.', 'error');
			field.focus();
			return;
		}
		const button = form.querySelector('button[type="submit"]');
		button.disabled = true;
		setStatus(status, 'Signing in...');
		try {
			let user = await api('POST', API + '/login', { name, password });
			if (!user || typeof user.role !== 'string') user = await api('GET', API + '/me');
			signedIn(user, true);
		} catch (err) {
			let text;
			if (err.status === 401) text = 'Signing in failed: ' + err.message + '.';
			else if (err.status === 429) {
				text = 'Too many failed attempts: ' + err.message +
					(err.retryAfter ? ' Try again in ' + err.retryAfter + ' seconds.' : '');
			} else text = describe(err);
			setStatus(status, text, 'error');
			passwordInput.value = '';
			passwordInput.focus();
		} finally {
			button.disabled = false;
		}
	}

	async function onLogout() {
		try {
			await api('POST', API + '/logout', {});
		} catch (err) {
			if (err.status !== 401) {
				setStatus($('app-message'), 'Signing out failed: ' + describe(err));
				return;
			}
		}
		state.listsLoaded = false;
		state.frameworksLoaded = false;
		showLogin('You have signed out.');
		$('login-name').focus();
	}

	// ------------------------------------------------------------------ routes

	// The page named by the hash, or null for a hash that is not a route
	// (such as the skip link's #main).
	function routeFromHash() {
		const hash = location.hash;
		if (hash === '' || hash === '#' || hash === '#/') return 'overview';
		const m = /^#\/([a-z]+)/.exec(hash);
		if (!m) return null;
		return PAGES.includes(m[1]) ? m[1] : 'overview';
	}

	function showPage(page, moveFocus) {
		state.page = page;
		for (const p of PAGES) $('page-' + p).hidden = p !== page;
		for (const a of document.querySelectorAll('#site-nav a[data-page]')) {
			if (a.dataset.page === page) a.setAttribute('aria-current', 'page');
			else a.removeAttribute('aria-current');
		}
		document.title = TITLES[page] + ' - Quartermaster';
		LOADERS[page]();
		if (moveFocus) $('h-' + page).focus();
	}

	function onHashChange() {
		if (!state.user) return;
		const page = routeFromHash();
		if (page === null) return;
		showPage(page, true);
	}

	// ------------------------------------------------------------ shared lists

	async function loadLists() {
		if (state.listsLoaded) return;
		state.listsLoaded = true;
		loadFrameworks();
		try {
			const parties = await api('GET', API + '/parties' + query({ limit: 1000 }));
			const list = $('party-codes');
			clear(list);
			for (const p of parties.items || []) list.append(el('option', { value: p.code, label: p.name }));
		} catch {
			// the datalist only helps typing
		}
		try {
			const items = await api('GET', API + '/items' + query({ limit: 1000 }));
			const list = $('item-codes');
			clear(list);
			for (const i of items.items || []) list.append(el('option', { value: i.code, label: i.name }));
		} catch {
			// as above
		}
	}

	async function loadFrameworks() {
		if (state.frameworksLoaded) return;
		state.frameworksLoaded = true;
		let items = [];
		try {
			const answer = await api('GET', API + '/frameworks' + query({ limit: 1000 }));
			items = answer.items || [];
		} catch {
			items = [];
		}
		for (const select of document.querySelectorAll('.framework-select')) {
			while (select.options.length > 1) select.remove(1);
			for (const f of items) {
				select.append(el('option', { value: f.id, text: f.name + ' (' + f.start + ' to ' + f.end + ')' }));
			}
			select.value = state.framework;
			select.closest('.toolbar').hidden = items.length === 0;
		}
	}

	function onFrameworkChange(event) {
		state.framework = event.target.value;
		for (const select of document.querySelectorAll('.framework-select')) select.value = state.framework;
		if (state.page === 'overview') loadOverview();
		else if (state.page === 'burden') loadBurden();
	}

	// ------------------------------------------------------------------ charts

	function chartsAvailable() {
		return typeof window.Chart === 'function';
	}

	function destroyCharts() {
		if (!chartsAvailable()) return;
		for (const canvas of document.querySelectorAll('canvas')) {
			const chart = window.Chart.getChart(canvas);
			if (chart) chart.destroy();
		}
	}

	function drawChart(canvasId, config) {
		const canvas = $(canvasId);
		if (!chartsAvailable()) {
			canvas.closest('.chart-box').hidden = true;
			return null;
		}
		canvas.closest('.chart-box').hidden = false;
		const old = window.Chart.getChart(canvas);
		if (old) old.destroy();
		return new window.Chart(canvas, config);
	}

	function baseOptions(extra) {
		return Object.assign({
			responsive: true,
			maintainAspectRatio: false,
			animation: false,
			plugins: {
				legend: { labels: { color: COLOURS.ink, boxWidth: 14 } },
				tooltip: {},
			},
		}, extra);
	}

	function setUpCharts() {
		if (!chartsAvailable()) return;
		const d = window.Chart.defaults;
		d.color = COLOURS.ink;
		d.borderColor = COLOURS.grid;
		d.font.family = getComputedStyle(document.body).fontFamily;
		d.font.size = 13;
		d.animation = false;
	}

	// ---------------------------------------------------------------- overview

	async function loadOverview() {
		const current = ticket('overview');
		const status = $('overview-status');
		setStatus(status, 'Loading the overview...');
		loadFrameworks();
		const burdenQuery = query({ framework: state.framework, by: 'quarter' });
		const [report, burden] = await Promise.allSettled([
			api('GET', API + '/report'),
			api('GET', API + '/burden' + burdenQuery),
		]);
		if (!current()) return;
		const problems = [];
		if (report.status === 'fulfilled') {
			try {
				renderReport(report.value);
			} catch (e) {
				problems.push('The report could not be shown: ' + e.message);
			}
		} else {
			problems.push('The report could not be loaded: ' + describe(report.reason));
		}
		if (burden.status === 'fulfilled') {
			try {
				renderProgress(burden.value);
			} catch (e) {
				problems.push('The progress could not be shown: ' + e.message);
			}
		} else {
			noProgress(burden.reason, problems);
		}
		setStatus(status, problems.join(' '), problems.length ? 'error' : '');
	}

	function noProgress(err, problems) {
		$('progress-body').hidden = true;
		$('figure-progress').hidden = true;
		const note = $('progress-missing');
		note.hidden = false;
		if (err instanceof ApiError && (err.status === 404 || err.status === 422)) {
			note.textContent = state.framework
				? 'There is no burden-sharing framework ' + state.framework + ' (' + err.message + ').'
				: 'No burden-sharing framework is defined yet, so there is no baseline to measure progress against (' +
					err.message + ').';
		} else {
			note.textContent = 'Progress against the baseline could not be loaded.';
			problems.push('Burden sharing could not be loaded: ' + describe(err));
		}
	}

	function renderReport(report) {
		const plan = report.plan || null;
		const pairs = [
			['Pledges not cancelled', count(report.pledges)],
			['Counted value (EUR)', euros(report.value_eur_cents)],
		];
		if (plan && plan.needed !== undefined) {
			pairs.push(['Units needed', count(plan.needed)]);
			pairs.push(['Units needed but not met', count(plan.unmet)]);
		}
		pairs.push(['As of', String(report.as_of || '')]);
		figures($('overview-figures'), pairs);
		renderDonors(report.top_donors || []);
		renderDeliveries(report.items || []);
	}

	function renderDonors(donors) {
		const tbody = $('table-donors');
		clear(tbody);
		for (const d of donors) {
			tbody.append(el('tr', null,
				td(d.party), td(d.name), td(count(d.pledges), 'num'), td(euros(d.value_eur_cents), 'num'),
				td(d.share_of_gdp_percent === null || d.share_of_gdp_percent === undefined ? '' : d.share_of_gdp_percent + '%', 'num')));
		}
		if (donors.length === 0) emptyRow(tbody, 5, 'No donor has a counted pledge yet.');
		const summary = donors.length === 0 ? 'No donor has a counted pledge yet.'
			: 'The ' + plural(donors.length, 'largest donor', 'largest donors') + ' by counted value. Largest: ' +
				donors[0].name + ', ' + eur(donors[0].value_eur_cents) + '.';
		$('summary-donors').textContent = summary;
		$('chart-donors').setAttribute('aria-label', 'Horizontal bar chart of value by donor. ' + summary);
		drawChart('chart-donors', {
			type: 'bar',
			data: {
				labels: donors.map((d) => d.name),
				datasets: [{
					label: 'Counted value (EUR)',
					data: donors.map((d) => eurosForChart(d.value_eur_cents)),
					backgroundColor: COLOURS.blue,
				}],
			},
			options: baseOptions({
				indexAxis: 'y',
				plugins: {
					legend: { display: false },
					tooltip: { callbacks: { label: (c) => eur(donors[c.dataIndex].value_eur_cents) } },
				},
				scales: {
					x: { beginAtZero: true, ticks: { callback: (v) => compactEuros(v) } },
					y: { ticks: { autoSkip: false } },
				},
			}),
		});
	}

	function renderDeliveries(items) {
		const tbody = $('table-deliveries');
		clear(tbody);
		for (const i of items) {
			tbody.append(el('tr', null,
				el('td', null, el('span', { text: i.name || i.item }), el('br'), el('code', { className: 'muted', text: i.item })),
				td(i.capability), td(count(i.pledged), 'num'), td(count(i.delivered), 'num'), td(share(i.delivered, i.pledged), 'num')));
		}
		if (items.length === 0) emptyRow(tbody, 5, 'No pledge of an item and quantity yet.');
		const ratio = (i) => (Number(i.pledged) > 0 ? Number(i.delivered) / Number(i.pledged) : 0);
		const shown = items.filter((i) => Number(i.pledged) > 0).slice()
			.sort((a, b) => ratio(b) - ratio(a) || Number(b.pledged) - Number(a.pledged) || String(a.item).localeCompare(String(b.item)))
			.slice(0, DELIVERY_CHART_ITEMS);
		const started = items.filter((i) => Number(i.delivered) > 0).length;
		const summary = items.length === 0 ? 'Nothing has been pledged by item and quantity yet.'
			: plural(started, 'item has', 'items have') + ' deliveries, of ' + plural(items.length, 'item', 'items') +
				' pledged. The chart shows the ' + plural(shown.length, 'item', 'items') +
				' furthest along; the table lists every item.';
		$('summary-deliveries').textContent = summary;
		$('chart-deliveries').setAttribute('aria-label', 'Stacked bar chart of the share of pledged units delivered per item. ' + summary);
		$('box-deliveries').style.height = Math.max(12, shown.length * 2 + 6) + 'rem';
		drawChart('chart-deliveries', {
			type: 'bar',
			data: {
				labels: shown.map((i) => i.item),
				datasets: [
					{ label: 'Delivered', data: shown.map((i) => Math.round(ratio(i) * 1000) / 10), backgroundColor: COLOURS.green },
					{ label: 'Not yet delivered', data: shown.map((i) => Math.round((1 - ratio(i)) * 1000) / 10), backgroundColor: COLOURS.paleGrey },
				],
			},
			options: baseOptions({
				indexAxis: 'y',
				plugins: {
					legend: { position: 'bottom', labels: { color: COLOURS.ink, boxWidth: 14 } },
					tooltip: {
						callbacks: {
							title: (c) => (c.length ? shown[c[0].dataIndex].name || shown[c[0].dataIndex].item : ''),
							label: (c) => {
								const i = shown[c.dataIndex];
								return c.datasetIndex === 0
									? 'delivered ' + count(i.delivered) + ' of ' + count(i.pledged) + ' (' + share(i.delivered, i.pledged) + ')'
									: 'not yet delivered ' + count(Number(i.pledged) - Number(i.delivered));
							},
						},
					},
				},
				scales: {
					x: { stacked: true, min: 0, max: 100, ticks: { callback: (v) => v + '%' } },
					y: { stacked: true, ticks: { autoSkip: false } },
				},
			}),
		});
	}

	function renderProgress(b) {
		$('progress-missing').hidden = true;
		$('progress-body').hidden = false;
		$('progress-framework').textContent = b.name + ' (' + b.framework + '): ' + b.start + ' to ' + b.end +
			'. Pledges count from the status ' + b.counts + '; fair shares by GDP of ' + b.gdp_year + '.';
		const baseline = Number(b.baseline_eur_cents);
		const counted = Number(b.counted_eur_cents);
		const ratioText = b.ratio !== null && b.ratio !== undefined ? percent(b.ratio) : share(counted, baseline);
		const bar = $('progress-bar');
		$('progress-line').hidden = false;
		bar.max = baseline > 0 ? baseline : 1;
		bar.value = Math.max(0, Math.min(counted, bar.max));
		$('progress-label').textContent = 'Counted against the baseline: ' + ratioText;
		const shortfall = Number(b.shortfall_eur_cents);
		figures($('progress-figures'), [
			['Baseline (EUR)', euros(b.baseline_eur_cents)],
			['Counted (EUR)', euros(b.counted_eur_cents)],
			['Share of the baseline', ratioText],
			shortfall > 0 ? ['Still short (EUR)', euros(shortfall)] : ['Over the baseline by (EUR)', euros(-shortfall)],
		]);

		const periods = Array.isArray(b.periods) ? b.periods : [];
		const figure = $('figure-progress');
		const tbody = $('table-progress');
		clear(tbody);
		if (periods.length === 0) {
			figure.hidden = true;
			return;
		}
		figure.hidden = false;
		let running = 0;
		const cumulative = [];
		for (const p of periods) {
			running += Number(p.counted_eur_cents);
			cumulative.push(running);
			tbody.append(el('tr', null, td(p.period), td(p.start), td(p.end),
				td(euros(p.counted_eur_cents), 'num'), td(euros(running), 'num')));
		}
		const last = periods[periods.length - 1];
		const summary = 'Counted by ' + last.end + ': ' + eur(running) + ' of the baseline of ' + eur(baseline) +
			' (' + ratioText + '), over ' + plural(periods.length, 'period', 'periods') + '.';
		$('summary-progress').textContent = summary;
		$('chart-progress').setAttribute('aria-label', 'Chart of the counted value per period and in total so far, against the baseline. ' + summary);
		drawChart('chart-progress', {
			type: 'bar',
			data: {
				labels: periods.map((p) => p.period),
				datasets: [
					{
						type: 'line',
						label: 'Counted so far',
						data: cumulative.map(eurosForChart),
						borderColor: COLOURS.navy,
						backgroundColor: COLOURS.navy,
						borderWidth: 3,
						pointRadius: 4,
						order: 1,
					},
					{
						type: 'line',
						label: 'Baseline',
						data: periods.map(() => eurosForChart(baseline)),
						borderColor: COLOURS.red,
						backgroundColor: COLOURS.red,
						borderDash: [8, 5],
						borderWidth: 2,
						pointRadius: 0,
						order: 0,
					},
					{
						label: 'Counted in the period',
						data: periods.map((p) => eurosForChart(p.counted_eur_cents)),
						backgroundColor: COLOURS.lightBlue,
						order: 2,
					},
				],
			},
			options: baseOptions({
				plugins: {
					legend: { position: 'bottom', labels: { color: COLOURS.ink, boxWidth: 14 } },
					tooltip: { callbacks: { label: (c) => c.dataset.label + ': EUR ' + intFormat.format(Math.round(c.parsed.y)) } },
				},
				scales: {
					y: { beginAtZero: true, ticks: { callback: (v) => compactEuros(v) } },
				},
			}),
		});
	}

	// ----------------------------------------------------------------- pledges

	async function loadPledges() {
		const current = ticket('pledges');
		const s = state.pledges;
		const status = $('pledges-status');
		setStatus(status, 'Loading pledges...');
		updateSortHeaders();
		$('pledge-write').hidden = !mayWriteAny();
		let data;
		try {
			data = await api('GET', API + '/pledges' + query({
				limit: s.limit, offset: s.offset, sort: s.sort, q: s.q, donor: s.donor, status: s.status,
			}));
		} catch (err) {
			if (!current()) return;
			setStatus(status, 'The pledges could not be loaded: ' + describe(err), 'error');
			emptyRow($('pledges-body'), mayWriteAny() ? 11 : 10, 'No pledges to show.');
			return;
		}
		if (!current()) return;
		renderPledges(data);
	}

	function renderPledges(data) {
		const s = state.pledges;
		const items = Array.isArray(data.items) ? data.items : [];
		const total = Number(data.total) || 0;
		const offset = Number(data.offset) || 0;
		const limit = Number(data.limit) || s.limit;
		s.offset = offset;
		const writer = mayWriteAny();
		$('pledges-actions-header').hidden = !writer;
		const tbody = $('pledges-body');
		clear(tbody);
		const rows = document.createDocumentFragment();
		for (const p of items) {
			const valuation = p.counted_in ? 'in package' : p.valuation || 'no value';
			const row = el('tr', null,
				td(p.id), td(p.donor), td(p.date), td(p.item), td(count(p.quantity), 'num'), td(p.status),
				td(euros(p.value_eur_cents), 'num'),
				p.counted_in ? el('td', null, valuation, el('span', { className: 'muted sub', text: p.counted_in })) : td(valuation),
				td(p.quantity === null || p.quantity === undefined ? '' : count(p.delivered), 'num'),
				td(p.available));
			if (writer) {
				const actions = el('td');
				if (mayWritePledgeOf(p.donor)) {
					const box = el('div', { className: 'row-actions' });
					box.append(el('button', {
						type: 'button', className: 'button button-quiet button-small', text: 'Revise',
						'aria-label': 'Revise pledge ' + p.id, dataset: { action: 'revise', pledge: p.id },
					}));
					if (p.quantity !== null && p.quantity !== undefined) {
						box.append(el('button', {
							type: 'button', className: 'button button-quiet button-small', text: 'Delivery',
							'aria-label': 'Record a delivery against pledge ' + p.id, dataset: { action: 'deliver', pledge: p.id },
						}));
					}
					actions.append(box);
				}
				row.append(actions);
			}
			rows.append(row);
		}
		tbody.append(rows);
		const columns = writer ? 11 : 10;
		if (items.length === 0) emptyRow(tbody, columns, 'No pledge matches these filters.');
		const first = items.length ? offset + 1 : 0;
		const last = offset + items.length;
		const filters = [];
		if (s.q) filters.push('matching "' + s.q + '"');
		if (s.donor) filters.push('of ' + s.donor);
		if (s.status) filters.push('with status ' + s.status);
		const what = plural(total, 'pledge', 'pledges') + (filters.length ? ' ' + filters.join(', ') : '');
		setStatus($('pledges-status'), items.length ? what + '; showing ' + count(first) + ' to ' + count(last) + '.' : what + '.');
		$('pledges-caption-note').textContent = items.length ? '(' + count(first) + ' to ' + count(last) + ' of ' + count(total) + ')' : '';
		$('pledges-where').textContent = items.length
			? 'Page ' + count(Math.floor(offset / limit) + 1) + ' of ' + count(Math.max(1, Math.ceil(total / limit))) : '';
		$('pledges-prev').disabled = offset <= 0;
		$('pledges-next').disabled = offset + items.length >= total;
	}

	function updateSortHeaders() {
		const sort = state.pledges.sort || 'id';
		const field = sort.replace(/^-/, '');
		const direction = sort.startsWith('-') ? 'descending' : 'ascending';
		for (const th of document.querySelectorAll('#pledges-table th[data-sort]')) {
			if (th.dataset.sort === field) th.setAttribute('aria-sort', direction);
			else th.removeAttribute('aria-sort');
		}
	}

	function onSortClick(event) {
		const button = event.target.closest('.sort-button');
		if (!button) return;
		const field = button.dataset.sort;
		const s = state.pledges;
		const sort = s.sort || 'id';
		s.sort = sort === field ? '-' + field : field;
		s.offset = 0;
		loadPledges();
	}

	function onFilterSubmit(event) {
		event.preventDefault();
		const s = state.pledges;
		s.q = $('filter-q').value.trim();
		s.donor = $('filter-donor').value.trim().toUpperCase();
		$('filter-donor').value = s.donor;
		s.status = $('filter-status').value;
		s.limit = Number($('filter-limit').value) || 50;
		s.offset = 0;
		loadPledges();
	}

	function onFilterClear() {
		$('filter-q').value = '';
		$('filter-donor').value = '';
		$('filter-status').value = '';
		Object.assign(state.pledges, { q: '', donor: '', status: '', offset: 0 });
		loadPledges();
		$('filter-q').focus();
	}

	function onPage(delta) {
		const s = state.pledges;
		s.offset = Math.max(0, s.offset + delta * s.limit);
		loadPledges().then(() => {
			const active = document.activeElement;
			if (!active || active === document.body || active.disabled) {
				(delta < 0 ? $('pledges-next') : $('pledges-prev')).focus();
			}
		});
	}

	function onRowAction(event) {
		const button = event.target.closest('button[data-action]');
		if (!button) return;
		const id = button.dataset.pledge;
		if (button.dataset.action === 'revise') {
			$('panel-revise').open = true;
			$('revise-key').value = id;
			loadRevise(id, true);
		} else if (button.dataset.action === 'deliver') {
			const form = $('delivery-form');
			$('panel-delivery').open = true;
			clearInvalid(form);
			setStatus($('delivery-status-msg'), '');
			form.elements.pledge.value = id;
			if (!form.elements.date.value) form.elements.date.value = today();
			form.elements.id.focus();
		}
	}

	// ------------------------------------------------------------ write forms

	function setUpWriteForms() {
		const u = state.user;
		const writer = mayWriteAny();
		$('pledge-write').hidden = !writer;
		const note = $('write-note');
		if (u.kind === 'coordinator') {
			note.textContent = 'As a coordinator you may add and revise every pledge and record any delivery.';
		} else if (u.kind === 'donor') {
			note.textContent = 'As ' + u.role + ' you may add and revise the pledges of ' + u.party +
				' and record deliveries against them. The ledger refuses changes to other donors\u2019 pledges.';
		} else {
			note.textContent = '';
		}
		for (const id of ['add-donor', 'revise-donor']) {
			const input = $(id);
			const fixed = u.kind === 'donor';
			input.readOnly = fixed;
			if (fixed) {
				input.setAttribute('aria-describedby', id + '-fixed');
				if (!$(id + '-fixed')) {
					input.after(el('p', { className: 'hint', id: id + '-fixed', text: 'Fixed to your own donor, ' + u.party + '.' }));
				} else {
					$(id + '-fixed').textContent = 'Fixed to your own donor, ' + u.party + '.';
				}
			} else {
				input.removeAttribute('aria-describedby');
				if ($(id + '-fixed')) $(id + '-fixed').remove();
			}
		}
		resetAddForm();
	}

	function resetAddForm() {
		const form = $('add-form');
		form.reset();
		clearInvalid(form);
		if (state.user && state.user.kind === 'donor') form.elements.donor.value = state.user.party;
		form.elements.date.value = today();
	}

	function clearInvalid(form) {
		for (const node of form.querySelectorAll('[aria-invalid]')) {
			node.removeAttribute('aria-invalid');
			const described = (node.getAttribute('aria-describedby') || '').split(/\s+/)
				.filter((id) => id && !id.endsWith('-msg') && id !== 'login-status');
			if (described.length) node.setAttribute('aria-describedby', described.join(' '));
			else node.removeAttribute('aria-describedby');
		}
	}

	function markInvalid(field, statusNode) {
		field.setAttribute('aria-invalid', 'true');
		const ids = (field.getAttribute('aria-describedby') || '').split(/\s+/).filter(Boolean);
		if (!ids.includes(statusNode.id)) ids.push(statusNode.id);
		field.setAttribute('aria-describedby', ids.join(' '));
	}

	// The server's error next to the form, the field it names marked.
	function showFormError(form, statusNode, err) {
		if (err.status === 401) return; // the sign-in form is shown instead
		setStatus(statusNode, describe(err), 'error');
		const field = err.field ? form.elements.namedItem(err.field) : null;
		if (field && typeof field.focus === 'function' && !field.disabled) {
			markInvalid(field, statusNode);
			field.focus();
		}
	}

	// A field's text as it is sent: trimmed (but for the note), and codes
	// in upper case.
	function normalise(name, text) {
		let v = text;
		if (name !== 'note') v = v.trim();
		if (name === 'donor' || name === 'currency') v = v.toUpperCase();
		return v;
	}

	function fieldValue(node) {
		return normalise(node.name, node.value);
	}

	// A field's value as the JSON import takes it: whole numbers as numbers.
	function jsonValue(name, v) {
		if (name === 'quantity' && /^[1-9][0-9]{0,14}$/.test(v)) return Number(v);
		return v;
	}

	function namedFields(form) {
		return Array.from(form.elements).filter((n) => n.name && (n.tagName === 'INPUT' || n.tagName === 'SELECT' || n.tagName === 'TEXTAREA'));
	}

	async function onAddSubmit(event) {
		event.preventDefault();
		const form = $('add-form');
		const status = $('add-status-msg');
		clearInvalid(form);
		const body = {};
		for (const node of namedFields(form)) {
			const v = fieldValue(node);
			if (v !== '') body[node.name] = jsonValue(node.name, v);
		}
		if (state.user.kind === 'donor') body.donor = state.user.party;
		if (!body.id) {
			markInvalid(form.elements.id, status);
			setStatus(status, 'id: a value (id is required).', 'error');
			form.elements.id.focus();
			return;
		}
		const button = form.querySelector('button[type="submit"]');
		button.disabled = true;
		setStatus(status, 'Adding pledge ' + body.id + '...');
		try {
			const record = await api('POST', API + '/pledges', body);
			const id = record && record.id ? record.id : body.id;
			resetAddForm();
			setStatus(status, 'Added pledge ' + id + (record && record.value_eur_cents !== undefined
				? ', valued at ' + eur(record.value_eur_cents) : '') + '.', 'ok');
			if (state.page === 'pledges') loadPledges();
		} catch (err) {
			showFormError(form, status, err);
		} finally {
			button.disabled = false;
		}
	}

	function onReviseLoad(event) {
		event.preventDefault();
		const key = $('revise-key').value.trim();
		if (key === '') {
			const status = $('revise-status-msg');
			markInvalid($('revise-key'), status);
			setStatus(status, 'Give the id of the pledge to revise.', 'error');
			$('revise-key').focus();
			return;
		}
		loadRevise(key, true);
	}

	async function loadRevise(key, moveFocus) {
		const form = $('revise-form');
		const status = $('revise-status-msg');
		const fieldset = $('revise-fields');
		clearInvalid(form);
		$('revise-key').removeAttribute('aria-invalid');
		setStatus(status, 'Loading pledge ' + key + '...');
		let record;
		try {
			record = await api('GET', API + '/pledges/' + encodeURIComponent(key));
		} catch (err) {
			if (err.status === 401) return;
			state.revise = null;
			fieldset.disabled = true;
			$('revise-legend').textContent = 'Load a pledge to revise it';
			setStatus(status, err.status === 404 ? 'There is no pledge ' + key + '.' : describe(err), 'error');
			$('revise-key').setAttribute('aria-invalid', 'true');
			$('revise-key').focus();
			return;
		}
		fillRevise(record);
		if (!mayWritePledgeOf(record.donor)) {
			setStatus(status, 'This is a pledge of ' + record.donor + '. As ' + state.user.role +
				' you may not change it, and the ledger will refuse the change.');
		} else {
			setStatus(status, 'Pledge ' + record.id + ' is loaded. Change what you need and save.');
		}
		if (moveFocus) {
			const first = namedFields(form).find((n) => !n.readOnly && !n.disabled);
			if (first) first.focus();
		}
	}

	function fillRevise(record) {
		const form = $('revise-form');
		state.revise = { key: record.id, record };
		for (const node of namedFields(form)) {
			const v = record[node.name];
			const text = v === null || v === undefined ? '' : String(v);
			if (node.tagName === 'SELECT' && !Array.from(node.options).some((o) => o.value === text)) {
				node.append(el('option', { value: text, text: text === '' ? '(none)' : text }));
			}
			node.value = text;
		}
		$('revise-fields').disabled = false;
		$('revise-legend').textContent = 'Pledge ' + record.id + ', of ' + record.donor;
	}

	async function onReviseSubmit(event) {
		event.preventDefault();
		const form = $('revise-form');
		const status = $('revise-status-msg');
		clearInvalid(form);
		if (!state.revise) {
			setStatus(status, 'Load a pledge first.', 'error');
			return;
		}
		const { key, record } = state.revise;
		const body = {};
		const changed = [];
		for (const node of namedFields(form)) {
			const v = fieldValue(node);
			const stored = record[node.name] === null || record[node.name] === undefined ? '' : String(record[node.name]);
			if (v === stored || v === normalise(node.name, stored)) continue;
			body[node.name] = v === '' ? null : jsonValue(node.name, v);
			changed.push(node.name);
		}
		if (changed.length === 0) {
			setStatus(status, 'Nothing has changed, so nothing was sent.');
			return;
		}
		const button = form.querySelector('button[type="submit"]');
		button.disabled = true;
		setStatus(status, 'Saving pledge ' + key + '...');
		try {
			const saved = await api('PATCH', API + '/pledges/' + encodeURIComponent(key), body);
			if (saved && saved.id) fillRevise(saved);
			setStatus(status, 'Saved pledge ' + key + ': changed ' + changed.join(', ') + '.', 'ok');
			if (state.page === 'pledges') loadPledges();
		} catch (err) {
			showFormError(form, status, err);
		} finally {
			button.disabled = false;
		}
	}

	async function onDeliverySubmit(event) {
		event.preventDefault();
		const form = $('delivery-form');
		const status = $('delivery-status-msg');
		clearInvalid(form);
		const body = {};
		for (const node of namedFields(form)) {
			const v = fieldValue(node);
			if (v !== '') body[node.name] = jsonValue(node.name, v);
		}
		if (!body.id) {
			markInvalid(form.elements.id, status);
			setStatus(status, 'id: a value (id is required).', 'error');
			form.elements.id.focus();
			return;
		}
		const button = form.querySelector('button[type="submit"]');
		button.disabled = true;
		setStatus(status, 'Recording delivery ' + body.id + '...');
		try {
			const record = await api('POST', API + '/deliveries', body);
			const id = record && record.id ? record.id : body.id;
			form.reset();
			setStatus(status, 'Recorded delivery ' + id + ' against pledge ' + (record && record.pledge ? record.pledge : body.pledge) + '.', 'ok');
			if (state.page === 'pledges') loadPledges();
		} catch (err) {
			showFormError(form, status, err);
		} finally {
			button.disabled = false;
		}
	}

	// ------------------------------------------------------ requirements, gaps

	function needCell(r) {
		return r.item
			? el('td', null, el('code', { text: r.item }), ' ', el('span', { className: 'muted', text: '(item)' }))
			: td(r.capability);
	}

	async function loadPlan(page) {
		const current = ticket(page);
		const status = $(page + '-status');
		setStatus(status, 'Loading the plan...');
		try {
			const plan = await api('GET', API + '/plan');
			if (!current()) return null;
			setStatus(status, '');
			return plan;
		} catch (err) {
			if (!current()) return null;
			setStatus(status, 'The plan could not be loaded: ' + describe(err), 'error');
			return null;
		}
	}

	async function loadRequirements() {
		const plan = await loadPlan('requirements');
		const tbody = $('requirements-body');
		if (!plan) {
			if (state.page === 'requirements') emptyRow(tbody, 10, 'No requirements to show.');
			return;
		}
		const reqs = Array.isArray(plan.requirements) ? plan.requirements : [];
		figures($('requirements-figures'), [
			['Requirements', count(reqs.length)],
			['Units needed', count(plan.needed_total)],
			['Units assigned', count(plan.assigned_total)],
			['Units unmet', count(plan.unmet_total)],
		]);
		clear(tbody);
		for (const r of reqs) {
			tbody.append(el('tr', null,
				td(r.id), needCell(r), td(r.priority, 'num'), td(r.needed_by), td(count(r.needed), 'num'),
				td(count(r.assigned), 'num'), td(count(r.delivered), 'num'),
				td(count(r.unmet), Number(r.unmet) > 0 ? 'num short' : 'num'),
				td(share(r.assigned, r.needed), 'num'), td(r.expected || 'never')));
		}
		if (reqs.length === 0) emptyRow(tbody, 10, 'The recipient has stated no requirements yet.');
	}

	async function loadGaps() {
		const plan = await loadPlan('gaps');
		const tbody = $('gaps-body');
		if (!plan) {
			if (state.page === 'gaps') emptyRow(tbody, 8, 'No gaps to show.');
			return;
		}
		const gaps = (Array.isArray(plan.requirements) ? plan.requirements : [])
			.filter((r) => Number(r.unmet) > 0)
			.sort((a, b) => Number(a.priority) - Number(b.priority) ||
				String(a.needed_by).localeCompare(String(b.needed_by)) || String(a.id).localeCompare(String(b.id)));
		clear(tbody);
		for (const r of gaps) {
			tbody.append(el('tr', null,
				td(r.id), needCell(r), td(r.priority, 'num'), td(r.needed_by), td(count(r.needed), 'num'),
				td(count(r.assigned), 'num'), td(count(r.unmet), 'num short'), td(r.expected || 'never')));
		}
		if (gaps.length === 0) emptyRow(tbody, 8, 'No gaps: the plan meets every requirement with what is pledged.');
		setStatus($('gaps-status'), gaps.length
			? plural(gaps.length, 'requirement is', 'requirements are') + ' not fully met: ' +
				plural(gaps.reduce((n, r) => n + Number(r.unmet), 0), 'unit', 'units') + ' in all.'
			: 'No gaps.');
	}


	// ---------------------------------------------------------------- training

	// 'YYYY-MM-DD' as a number of days since 1970-01-01 (UTC), NaN otherwise.
	function dayNumber(text) {
		const m = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/.exec(String(text || ''));
		return m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) / DAY_MS : NaN;
	}

	const monthFormat = new Intl.DateTimeFormat('en-GB', { month: 'short', year: 'numeric', timeZone: 'UTC' });

	function dayText(n) {
		return new Date(Math.round(n) * DAY_MS).toISOString().slice(0, 10);
	}

	function skillColour(skills, skill) {
		const i = skills.indexOf(skill);
		return SKILL_COLOURS[(i < 0 ? 0 : i) % SKILL_COLOURS.length];
	}

	async function loadTraining() {
		const current = ticket('training');
		const status = $('training-status');
		setStatus(status, 'Loading training...');
		setStatus($('lag-status'), '');
		const [training, plan] = await Promise.allSettled([
			api('GET', API + '/training'),
			api('GET', API + '/plan'),
		]);
		if (!current()) return;
		const problems = [];
		if (training.status === 'fulfilled') {
			try {
				renderTraining(training.value);
			} catch (e) {
				problems.push('The training picture could not be shown: ' + e.message);
			}
		} else {
			problems.push('The training picture could not be loaded: ' + describe(training.reason));
			emptyRow($('upcoming-body'), 10, 'No courses to show.');
		}
		if (plan.status === 'fulfilled') {
			try {
				renderLag(plan.value);
			} catch (e) {
				problems.push('The readiness could not be shown: ' + e.message);
			}
		} else {
			problems.push('The plan could not be loaded: ' + describe(plan.reason));
			emptyRow($('lag-body'), 9, 'No requirements to show.');
		}
		setStatus(status, problems.join(' '), problems.length ? 'error' : '');
	}

	function renderTraining(t) {
		const courses = Array.isArray(t.courses) ? t.courses : [];
		const skills = Array.isArray(t.skills) ? t.skills : [];
		const open = courses.filter((c) => c.status !== 'cancelled');
		const upcoming = courses.filter((c) => c.upcoming);
		const sum = (list, f) => list.reduce((n, x) => n + Number(x[f] || 0), 0);
		figures($('training-figures'), [
			['Courses not cancelled', count(open.length)],
			['Seats offered', count(sum(open, 'seats'))],
			['Trainees needed', count(sum(skills, 'needed'))],
			['Trainees given a seat', count(sum(skills, 'assigned'))],
			['Trainees short', count(sum(skills, 'short'))],
			['Starting within ' + count(t.upcoming_days) + ' days', count(upcoming.length)],
			['Today', String(t.today || '')],
		]);
		renderSkills(skills);
		renderCalendar(courses, skills, t.today);
		renderUpcoming(upcoming, t);
	}

	function renderSkills(skills) {
		const tbody = $('table-skills');
		clear(tbody);
		for (const k of skills) {
			tbody.append(el('tr', null, td(k.skill), td(count(k.seats), 'num'), td(count(k.needed), 'num'),
				td(count(k.crew_needed), 'num'), td(count(k.assigned), 'num'),
				td(count(k.short), Number(k.short) > 0 ? 'num short' : 'num')));
		}
		if (skills.length === 0) emptyRow(tbody, 6, 'No skill is trained or needed yet.');
		const shortOnes = skills.filter((k) => Number(k.short) > 0);
		const summary = skills.length === 0 ? 'No course and no crewed equipment yet, so no skill to show.'
			: plural(skills.length, 'skill', 'skills') + '; ' + (shortOnes.length === 0
				? 'every trainee needed has a seat.'
				: plural(shortOnes.length, 'skill is', 'skills are') + ' short of seats: ' +
					shortOnes.map((k) => k.skill + ' (' + plural(k.short, 'trainee', 'trainees') + ')').join(', ') + '.');
		$('summary-skills').textContent = summary;
		$('chart-skills').setAttribute('aria-label', 'Horizontal bar chart of seats, trainees needed, assigned and short per skill. ' + summary);
		if (skills.length === 0) {
			const old = chartsAvailable() ? window.Chart.getChart($('chart-skills')) : null;
			if (old) old.destroy();
			$('box-skills').hidden = true;
			return;
		}
		$('box-skills').style.height = Math.max(12, skills.length * 4 + 6) + 'rem';
		drawChart('chart-skills', {
			type: 'bar',
			data: {
				labels: skills.map((k) => k.skill),
				datasets: [
					{ label: 'Seats', data: skills.map((k) => Number(k.seats)), backgroundColor: COLOURS.grey },
					{ label: 'Needed', data: skills.map((k) => Number(k.needed)), backgroundColor: COLOURS.navy },
					{ label: 'Assigned', data: skills.map((k) => Number(k.assigned)), backgroundColor: COLOURS.green },
					{ label: 'Short', data: skills.map((k) => Number(k.short)), backgroundColor: COLOURS.red },
				],
			},
			options: baseOptions({
				indexAxis: 'y',
				plugins: {
					legend: { position: 'top', labels: { color: COLOURS.ink, boxWidth: 14 } },
					tooltip: {
						callbacks: {
							label: (c) => c.dataset.label + ': ' + plural(c.parsed.x, c.datasetIndex === 0 ? 'seat' : 'trainee',
								c.datasetIndex === 0 ? 'seats' : 'trainees'),
						},
					},
				},
				scales: {
					x: { beginAtZero: true, ticks: { precision: 0 } },
					y: { ticks: { autoSkip: false } },
				},
			}),
		});
	}

	// A timeline: a floating bar per course from its first day to the end of
	// its last, in the row of its provider; courses of one provider that
	// overlap in time go on further rows under it. One dataset per skill (and
	// one for the cancelled courses), so the legend names the skills.
	function renderCalendar(courses, skills, todayText) {
		const byProvider = (a, b) => String(a.provider).localeCompare(String(b.provider)) ||
			String(a.start).localeCompare(String(b.start)) || String(a.id).localeCompare(String(b.id));
		const sorted = courses.slice().sort(byProvider);
		const rows = []; // { key, provider, lane, end }
		const bars = []; // { x: [start, end + 1], y: row key, course }
		for (const c of sorted) {
			const start = dayNumber(c.start);
			const end = dayNumber(c.end) + 1;
			if (!Number.isFinite(start) || !Number.isFinite(end)) continue;
			let row = rows.find((r) => r.provider === c.provider && r.end <= start);
			if (!row) {
				const lane = rows.filter((r) => r.provider === c.provider).length;
				row = { key: c.provider + '#' + lane, provider: c.provider, lane, end };
				rows.push(row);
			}
			row.end = end;
			bars.push({ x: [start, end], y: row.key, course: c });
		}
		const providers = [];
		for (const r of rows) if (!providers.includes(r.provider)) providers.push(r.provider);

		const tbody = $('table-calendar');
		clear(tbody);
		for (const c of sorted) {
			tbody.append(el('tr', null, td(c.provider), td(c.id), td(c.skill), td(c.status), td(count(c.seats), 'num'),
				td(count(c.assigned), 'num'), td(c.fill_percent === null || c.fill_percent === undefined ? '' : Number(c.fill_percent).toFixed(1) + '%', 'num'),
				td(c.start), td(c.end), td(c.location)));
		}
		if (sorted.length === 0) emptyRow(tbody, 10, 'No course is in the ledger yet.');
		const narrow = window.matchMedia && window.matchMedia(NARROW).matches;
		if (narrow) $('calendar-data').open = true;

		const names = skills.map((k) => k.skill);
		for (const c of courses) if (!names.includes(c.skill)) names.push(c.skill);
		const first = bars.length ? Math.min(...bars.map((b) => b.x[0])) : NaN;
		const last = bars.length ? Math.max(...bars.map((b) => b.x[1])) : NaN;
		const today = dayNumber(todayText);
		const summary = bars.length === 0 ? 'No course is in the ledger yet.'
			: plural(bars.length, 'course', 'courses') + ' of ' + plural(providers.length, 'provider', 'providers') +
				', from ' + dayText(first) + ' to ' + dayText(last - 1) + '. Most seats: ' + mostSeats(courses) + '.';
		$('summary-calendar').textContent = summary;
		$('chart-calendar').setAttribute('aria-label', 'Timeline of the courses, one row per provider. ' + summary);
		$('box-calendar').hidden = bars.length === 0;
		if (bars.length === 0) {
			const old = chartsAvailable() ? window.Chart.getChart($('chart-calendar')) : null;
			if (old) old.destroy();
			return;
		}
		$('box-calendar').style.height = Math.max(10, rows.length * 1.75 + 7) + 'rem';
		const span = Math.max(1, last - first);
		const todayLine = {
			id: 'qmToday',
			afterDatasetsDraw(chart) {
				const x = chart.scales.x.getPixelForValue(today);
				const area = chart.chartArea;
				if (!Number.isFinite(x) || x < area.left || x > area.right) return;
				const ctx = chart.ctx;
				ctx.save();
				ctx.strokeStyle = COLOURS.ink;
				ctx.lineWidth = 2;
				ctx.setLineDash([6, 4]);
				ctx.beginPath();
				ctx.moveTo(x, area.top);
				ctx.lineTo(x, area.bottom);
				ctx.stroke();
				ctx.restore();
			},
		};
		const datasets = names.map((n) => ({
			label: n,
			data: bars.filter((b) => b.course.skill === n && b.course.status !== 'cancelled'),
			backgroundColor: skillColour(names, n),
		})).filter((d) => d.data.length > 0);
		const cancelled = bars.filter((b) => b.course.status === 'cancelled');
		if (cancelled.length) {
			datasets.push({ label: 'cancelled', data: cancelled, backgroundColor: COLOURS.paleGrey, borderColor: COLOURS.grey, borderWidth: 1 });
		}
		for (const d of datasets) Object.assign(d, { grouped: false, borderSkipped: false, categoryPercentage: 0.9, barPercentage: 0.8 });
		const clampToday = (lo) => Number.isFinite(today) && (lo ? today < first && first - today < span / 4 : today > last && today - last < span / 4);
		drawChart('chart-calendar', {
			type: 'bar',
			data: { labels: rows.map((r) => r.key), datasets },
			options: baseOptions({
				indexAxis: 'y',
				plugins: {
					legend: { position: 'top', labels: { color: COLOURS.ink, boxWidth: 14 } },
					tooltip: {
						callbacks: {
							title: (items) => (items.length && items[0].raw && items[0].raw.course ? items[0].raw.course.id : ''),
							label: (c) => {
								const x = c.raw && c.raw.course;
								if (!x) return '';
								return [
									x.provider + ', ' + x.skill + ' (' + x.status + ')',
									x.start + ' to ' + x.end + (x.location ? ', ' + x.location : ''),
									plural(x.seats, 'seat', 'seats') + ', ' + count(x.assigned) + ' assigned',
								];
							},
						},
					},
				},
				scales: {
					x: {
						type: 'linear',
						min: clampToday(true) ? today : first,
						max: clampToday(false) ? today + 1 : last,
						ticks: {
							maxRotation: 0,
							autoSkip: true,
							maxTicksLimit: narrow ? 4 : 8,
							callback: (v) => monthFormat.format(new Date(Number(v) * DAY_MS)),
						},
					},
					y: {
						// a provider's name on its first row; a line above each provider
						ticks: { autoSkip: false, callback: (v, i) => (rows[i] && rows[i].lane === 0 ? rows[i].provider : '') },
						grid: { color: (c) => (c.index >= rows.length || (rows[c.index] && rows[c.index].lane === 0) ? COLOURS.grid : 'transparent') },
					},
				},
			}),
			plugins: [todayLine],
		});
	}

	function mostSeats(courses) {
		const seats = {};
		for (const c of courses) {
			if (c.status === 'cancelled') continue;
			seats[c.provider] = (seats[c.provider] || 0) + Number(c.seats || 0);
		}
		const best = Object.keys(seats).sort((a, b) => seats[b] - seats[a] || a.localeCompare(b))[0];
		return best ? best + ', ' + plural(seats[best], 'seat', 'seats') + ' in courses not cancelled' : 'none, every course is cancelled';
	}

	function renderUpcoming(upcoming, t) {
		const tbody = $('upcoming-body');
		clear(tbody);
		const today = dayNumber(t.today);
		for (const c of upcoming) {
			const inDays = dayNumber(c.start) - today;
			tbody.append(el('tr', null, td(c.id), td(c.provider), td(c.skill), td(c.status), td(c.start),
				td(Number.isFinite(inDays) ? count(inDays) : '', 'num'), td(c.end), td(count(c.seats), 'num'),
				td(count(c.assigned), 'num'), td(c.location)));
		}
		if (upcoming.length === 0) emptyRow(tbody, 10, 'No course starts within the next ' + count(t.upcoming_days) + ' days.');
		$('upcoming-note').textContent = 'From ' + t.today + ': ' + plural(upcoming.length, 'course starts', 'courses start') +
			' within ' + count(t.upcoming_days) + ' days' + (upcoming.length ? ', ' + plural(upcoming.reduce((n, c) => n + (c.status === 'cancelled' ? 0 : Number(c.seats || 0)), 0), 'seat', 'seats') + ' in those not cancelled.' : '.');
	}

	// The requirements served by crewed equipment, the never ready first,
	// then by the days their readiness lags their equipment, most first.
	function renderLag(plan) {
		const reqs = (Array.isArray(plan.requirements) ? plan.requirements : []).filter((r) => Number(r.crew_needed) > 0);
		const rows = reqs.map((r) => {
			const never = r.ready === null || r.ready === undefined;
			const lag = never || !r.expected ? null : dayNumber(r.ready) - dayNumber(r.expected);
			return { r, never, lag };
		});
		rows.sort((a, b) => (b.never - a.never) || ((b.lag || 0) - (a.lag || 0)) ||
			Number(a.r.priority) - Number(b.r.priority) || String(a.r.needed_by).localeCompare(String(b.r.needed_by)) ||
			String(a.r.id).localeCompare(String(b.r.id)));
		const tbody = $('lag-body');
		clear(tbody);
		for (const { r, never, lag } of rows) {
			let why;
			const units = Number(r.unmet) > 0 ? plural(r.unmet, 'unit', 'units') + ' short' : '';
			const crew = Number(r.crew_unmet) > 0 ? plural(r.crew_unmet, 'trainee', 'trainees') + ' short' : '';
			if (never) why = [units, crew].filter(Boolean).join(' and ') || 'not ready';
			else if (lag > 0) why = 'crews trained after the equipment';
			else why = 'crews trained in time';
			tbody.append(el('tr', null, td(r.id), needCell(r), td(r.priority, 'num'), td(r.expected || 'never'),
				td(never ? 'never' : r.ready, never ? 'short' : ''),
				td(never ? '\u2013' : count(lag), never || lag > 0 ? 'num short' : 'num'),
				td(count(r.crew_needed), 'num'), td(count(r.crew_assigned), 'num'), td(why)));
		}
		if (rows.length === 0) emptyRow(tbody, 9, 'No planned equipment needs a crew: give items a crew_skill and crew_size.');
		const nevers = rows.filter((x) => x.never).length;
		const late = rows.filter((x) => !x.never && x.lag > 0);
		setStatus($('lag-status'), rows.length === 0 ? '' : plural(rows.length, 'requirement is', 'requirements are') +
			' served by crewed equipment: ' + count(nevers) + ' never ready, ' + count(late.length) + ' ready after the equipment' +
			(late.length ? ' (longest wait ' + plural(late[0].lag, 'day', 'days') + ', ' + late[0].r.id + ')' : '') +
			', ' + count(rows.length - nevers - late.length) + ' ready with it.');
	}

	// ------------------------------------------------------------------ burden

	async function loadBurden() {
		const current = ticket('burden');
		const status = $('burden-status');
		setStatus(status, 'Loading burden sharing...');
		loadFrameworks();
		let b;
		try {
			b = await api('GET', API + '/burden' + query({ framework: state.framework }));
		} catch (err) {
			if (!current()) return;
			$('burden-body').hidden = true;
			if (err.status === 404 || err.status === 422) {
				setStatus(status, state.framework
					? 'There is no burden-sharing framework ' + state.framework + ' (' + err.message + ').'
					: 'No burden-sharing framework is defined yet (' + err.message + ').');
			} else {
				setStatus(status, 'Burden sharing could not be loaded: ' + describe(err), 'error');
			}
			return;
		}
		if (!current()) return;
		setStatus(status, '');
		$('burden-body').hidden = false;
		renderBurden(b);
	}

	function renderBurden(b) {
		const rows = (Array.isArray(b.rows) ? b.rows : []).slice()
			.sort((x, y) => Number(y.fair_share_eur_cents) - Number(x.fair_share_eur_cents) || String(x.party).localeCompare(String(y.party)));
		const exempt = Array.isArray(b.exempt) && b.exempt.length ? ' Exempt: ' + b.exempt.join(', ') + '.' : '';
		$('burden-framework-text').textContent = b.name + ' (' + b.framework + '): ' + b.start + ' to ' + b.end +
			'. Pledges count from the status ' + b.counts + '; fair shares by GDP of ' + b.gdp_year + '.' + exempt;
		const atOrAbove = rows.filter((r) => Number(r.shortfall_eur_cents) <= 0).length;
		const shortfall = Number(b.shortfall_eur_cents);
		figures($('burden-figures'), [
			['Baseline (EUR)', euros(b.baseline_eur_cents)],
			['Counted (EUR)', euros(b.counted_eur_cents)],
			['Share of the baseline', b.ratio !== null && b.ratio !== undefined ? percent(b.ratio) : share(b.counted_eur_cents, b.baseline_eur_cents)],
			shortfall > 0 ? ['Still short (EUR)', euros(shortfall)] : ['Over the baseline by (EUR)', euros(-shortfall)],
			['Allies at or above their fair share', count(atOrAbove) + ' of ' + count(rows.length)],
		]);
		const tbody = $('burden-table');
		clear(tbody);
		for (const r of rows) {
			const s = Number(r.shortfall_eur_cents);
			tbody.append(el('tr', null,
				td(r.party), td(r.name), td(percent(r.gdp_share), 'num'), td(euros(r.fair_share_eur_cents), 'num'),
				td(euros(r.counted_eur_cents), 'num'), td(r.ratio === null || r.ratio === undefined ? '' : percent(r.ratio), 'num'),
				td(s > 0 ? 'short ' + euros(s) : s < 0 ? 'over ' + euros(-s) : 'exactly', s > 0 ? 'num short' : 'num over')));
		}
		if (rows.length === 0) emptyRow(tbody, 7, 'The framework binds no ally.');
		const summary = plural(rows.length, 'ally', 'allies') + '; ' + count(atOrAbove) +
			' at or above their fair share. Total counted ' + eur(b.counted_eur_cents) + ' of ' + eur(b.baseline_eur_cents) + '.';
		$('summary-burden').textContent = summary;
		$('chart-burden').setAttribute('aria-label', 'Horizontal bar chart of what each ally counted against its fair share. ' + summary);
		$('box-burden').style.height = Math.max(14, rows.length * 1.75 + 6) + 'rem';
		drawChart('chart-burden', {
			type: 'bar',
			data: {
				labels: rows.map((r) => r.name),
				datasets: [
					{ label: 'Fair share', data: rows.map((r) => eurosForChart(r.fair_share_eur_cents)), backgroundColor: COLOURS.grey },
					{ label: 'Counted', data: rows.map((r) => eurosForChart(r.counted_eur_cents)), backgroundColor: COLOURS.blue },
				],
			},
			options: baseOptions({
				indexAxis: 'y',
				plugins: {
					legend: { position: 'top', labels: { color: COLOURS.ink, boxWidth: 14 } },
					tooltip: {
						callbacks: {
							label: (c) => {
								const r = rows[c.dataIndex];
								return c.datasetIndex === 0 ? 'fair share ' + eur(r.fair_share_eur_cents)
									: 'counted ' + eur(r.counted_eur_cents) + (r.ratio ? ' (' + percent(r.ratio) + ' of the fair share)' : '');
							},
						},
					},
				},
				scales: {
					x: { beginAtZero: true, ticks: { callback: (v) => compactEuros(v) } },
					y: { ticks: { autoSkip: false } },
				},
			}),
		});
	}

	// ----------------------------------------------------------------- journal

	function valueText(v) {
		if (v === null || v === undefined || v === '') return '(empty)';
		if (typeof v === 'object') return JSON.stringify(v);
		return String(v);
	}

	function changeList(before, after) {
		const list = el('ul', { className: 'changes' });
		const b = before && typeof before === 'object' ? before : null;
		const a = after && typeof after === 'object' ? after : null;
		const keys = [];
		for (const k of Object.keys(a || {})) keys.push(k);
		for (const k of Object.keys(b || {})) if (!keys.includes(k)) keys.push(k);
		const lines = [];
		for (const k of keys) {
			const was = b ? b[k] : undefined;
			const now = a ? a[k] : undefined;
			if (b && a) {
				if (JSON.stringify(was) === JSON.stringify(now)) continue;
				lines.push(el('li', null, el('code', { text: k }), ': ' + valueText(was) + ' \u2192 ' + valueText(now)));
			} else if (a) {
				if (now === null || now === undefined || now === '') continue;
				lines.push(el('li', null, el('code', { text: k }), ': ' + valueText(now)));
			} else {
				if (was === null || was === undefined || was === '') continue;
				lines.push(el('li', null, el('code', { text: k }), ': was ' + valueText(was)));
			}
		}
		if (lines.length === 0) return el('span', { className: 'muted', text: b && a ? 'no field changed' : '' });
		const shown = 6;
		for (const li of lines.slice(0, shown)) list.append(li);
		if (lines.length <= shown) return list;
		const more = el('ul', { className: 'changes' });
		for (const li of lines.slice(shown)) more.append(li);
		return el('div', null, list, el('details', null, el('summary', { text: plural(lines.length - shown, 'more field', 'more fields') }), more));
	}

	async function loadJournal() {
		const current = ticket('journal');
		const j = state.journal;
		const status = $('journal-status');
		setStatus(status, 'Loading the journal...');
		let data;
		try {
			data = await api('GET', API + '/journal' + query({ limit: JOURNAL_LIMIT, offset: j.offset, kind: j.kind, key: j.key }));
		} catch (err) {
			if (!current()) return;
			setStatus(status, 'The journal could not be loaded: ' + describe(err), 'error');
			emptyRow($('journal-body'), 7, 'No entries to show.');
			return;
		}
		if (!current()) return;
		const items = Array.isArray(data.items) ? data.items : [];
		const total = Number(data.total) || 0;
		const offset = Number(data.offset) || 0;
		j.offset = offset;
		const tbody = $('journal-body');
		clear(tbody);
		for (const e of items) {
			tbody.append(el('tr', null,
				td(count(e.seq), 'num'), td(e.at), td(e.actor), td(e.action), td(e.kind), td(e.key),
				el('td', { className: 'wrap' }, changeList(e.before, e.after))));
		}
		if (items.length === 0) emptyRow(tbody, 7, 'No journal entry matches.');
		const what = plural(total, 'entry', 'entries') + (j.kind ? ' of ' + j.kind : '') + (j.key ? ' for ' + j.key : '');
		setStatus(status, items.length ? what + ', newest first; showing ' + count(offset + 1) + ' to ' + count(offset + items.length) + '.' : what + '.');
		$('journal-where').textContent = items.length ? count(offset + 1) + ' to ' + count(offset + items.length) + ' of ' + count(total) : '';
		$('journal-newer').disabled = offset <= 0;
		$('journal-older').disabled = offset + items.length >= total;
	}

	function onJournalFilter(event) {
		event.preventDefault();
		state.journal.kind = $('journal-kind').value;
		state.journal.key = $('journal-key').value.trim();
		state.journal.offset = 0;
		loadJournal();
	}

	function onJournalPage(delta) {
		const j = state.journal;
		j.offset = Math.max(0, j.offset + delta * JOURNAL_LIMIT);
		loadJournal().then(() => {
			const active = document.activeElement;
			if (!active || active === document.body || active.disabled) {
				(delta < 0 ? $('journal-older') : $('journal-newer')).focus();
			}
		});
	}

	const LOADERS = {
		overview: loadOverview,
		pledges: loadPledges,
		requirements: loadRequirements,
		gaps: loadGaps,
		training: loadTraining,
		burden: loadBurden,
		journal: loadJournal,
	};

	// ------------------------------------------------------------------- start

	function bind() {
		$('skip-link').addEventListener('click', (event) => {
			event.preventDefault();
			const target = state.page ? $('h-' + state.page) : $('main');
			target.focus();
		});
		$('login-form').addEventListener('submit', onLogin);
		$('logout-button').addEventListener('click', onLogout);
		window.addEventListener('hashchange', onHashChange);
		for (const select of document.querySelectorAll('.framework-select')) select.addEventListener('change', onFrameworkChange);
		$('pledges-table').querySelector('thead').addEventListener('click', onSortClick);
		$('pledges-body').addEventListener('click', onRowAction);
		$('pledge-filters').addEventListener('submit', onFilterSubmit);
		$('filter-clear').addEventListener('click', onFilterClear);
		$('pledges-prev').addEventListener('click', () => onPage(-1));
		$('pledges-next').addEventListener('click', () => onPage(1));
		$('add-form').addEventListener('submit', onAddSubmit);
		$('revise-load-form').addEventListener('submit', onReviseLoad);
		$('revise-form').addEventListener('submit', onReviseSubmit);
		$('delivery-form').addEventListener('submit', onDeliverySubmit);
		$('journal-filters').addEventListener('submit', onJournalFilter);
		$('journal-newer').addEventListener('click', () => onJournalPage(-1));
		$('journal-older').addEventListener('click', () => onJournalPage(1));
		// a field the user corrects is no longer marked
		document.addEventListener('input', (event) => {
			const t = event.target;
			if (t && t.getAttribute && t.getAttribute('aria-invalid') === 'true') t.removeAttribute('aria-invalid');
		});
	}

	async function start() {
		setUpCharts();
		bind();
		if (!chartsAvailable()) {
			setStatus($('app-message'), 'The charts could not be loaded; the tables below them have every figure.');
		}
		let me;
		try {
			me = await api('GET', API + '/me');
		} catch (err) {
			showLogin(err.status === 401 ? '' : 'Could not find out who is signed in: ' + describe(err));
			return;
		}
		signedIn(me, false);
	}

	if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
	else start();
})();
