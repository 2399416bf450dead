#!/usr/bin/env node
// tests/browser/dashboard.mjs - check the dashboard that `qm serve` serves at
// `/`, in Debian's /usr/bin/chromium (headless, driven by playwright-core),
// against a server that is already running with a demo database and a donor
// user. It loads the page with every request that leaves the server's origin
// blocked and recorded; signs in through the form with the keyboard only;
// checks that the overview's charts are drawn, labelled and have their
// figures beside them; on the pledges page sorts a column, adds a pledge of
// the donor's own party through the form and finds it by searching its id;
// tries to revise another nation's pledge and expects the server's 403 to be
// shown next to the form; opens the training page with the keyboard and
// checks its two charts (seats against needs per skill, the courses by
// provider) are drawn and that its tables say what GET /api/v1/training and
// GET /api/v1/plan say (the lag table never ready first, then the longest
// lag; the courses starting soon; markup in a course's location shown as
// text); then checks at a phone's 390x844 that no page scrolls sideways, and
// signs out. Screenshots (laptop, training and phone) go to the artifacts
// folder. Any console error, page error, unexpected HTTP error or
// request elsewhere fails the run.
//
//   node tests/browser/dashboard.mjs BASE_URL --donor NAME:PASSWORD --party CODE \
//        --other-pledge ID --artifacts DIR
//
// Each step prints "dashboard: ok: ..." on standard output or
// "dashboard: FAIL: ..." on standard error. Exit status: 0 when every step
// passes, 1 when one fails (the steps after a failed one are not run, the
// final checks are), 2 for a usage error, 3 when chromium or playwright-core
// is missing (make deps installs both).

import fs from 'node:fs';
import path from 'node:path';

import { launchChromium, oneLine } from './launch.mjs';

const PROG = 'dashboard';
const LAPTOP = { width: 1366, height: 768 };
const PHONE = { width: 390, height: 844 };
const OVERVIEW_CHARTS = ['chart-progress', 'chart-donors', 'chart-deliveries'];
const TRAINING_CHARTS = ['chart-skills', 'chart-calendar'];
const STEP_TIMEOUT_MS = 30000;
const TOTAL_TIMEOUT_MS = 240000;
const USAGE = 'usage: node tests/browser/dashboard.mjs BASE_URL --donor NAME:PASSWORD --party CODE --other-pledge ID --artifacts DIR';

function ok(line) {
	process.stdout.write(`${PROG}: ok: ${line}\n`);
}

function fail(line) {
	process.stderr.write(`${PROG}: FAIL: ${line}\n`);
}

function usageError(message) {
	process.stderr.write(`${PROG}: ${message}\n${USAGE}\n`);
	process.exit(2);
}

function parseArgs(argv) {
	const opts = { base: null, donor: null, party: null, otherPledge: null, artifacts: null };
	const names = { '--donor': 'donor', '--party': 'party', '--other-pledge': 'otherPledge', '--artifacts': 'artifacts' };
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i];
		const eq = arg.indexOf('=');
		const name = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
		if (name === '-h' || name === '--help') {
			process.stdout.write(`${USAGE}\n`);
			process.exit(0);
		} else if (names[name]) {
			let value;
			if (arg.startsWith('--') && eq > 0) value = arg.slice(eq + 1);
			else if (i + 1 < argv.length) value = argv[++i];
			else usageError(`${name} needs a value`);
			opts[names[name]] = value;
		} else if (arg.startsWith('-')) {
			usageError(`unknown option '${arg}'`);
		} else if (opts.base === null) {
			opts.base = arg;
		} else {
			usageError(`one BASE_URL at a time ('${opts.base}' and '${arg}')`);
		}
	}
	if (opts.base === null) usageError('no BASE_URL given');
	let url;
	try {
		url = new URL(opts.base);
	} catch {
		usageError(`BASE_URL is not a URL: '${opts.base}'`);
	}
	if (url.protocol !== 'http:' && url.protocol !== 'https:') usageError(`BASE_URL must be http or https, not '${opts.base}'`);
	for (const [flag, key] of Object.entries(names)) if (opts[key] === null || opts[key] === '') usageError(`${flag} is required`);
	const colon = opts.donor.indexOf(':');
	if (colon <= 0 || colon === opts.donor.length - 1) usageError(`--donor wants NAME:PASSWORD, not '${opts.donor}'`);
	opts.donorName = opts.donor.slice(0, colon);
	opts.donorPassword = opts.donor.slice(colon + 1);
	if (!/^[A-Z][A-Z0-9-]{1,15}$/.test(opts.party)) usageError(`--party wants a party code such as NOR, not '${opts.party}'`);
	opts.origin = url.origin;
	opts.root = new URL('/', url).href;
	return opts;
}

// ---- in the page -------------------------------------------------------------

// The charts of the shown page: what a reader and the checks need to know.
function inspectCharts(ids) {
	const out = [];
	for (const id of ids) {
		const canvas = document.getElementById(id);
		const info = { id, problems: [] };
		out.push(info);
		if (!canvas || canvas.localName !== 'canvas') {
			info.problems.push('is not in the page (no canvas with that id)');
			continue;
		}
		const box = canvas.getBoundingClientRect();
		if (box.width < 150 || box.height < 100) {
			info.problems.push(`is ${Math.round(box.width)}x${Math.round(box.height)} px, not shown or too small`);
		}
		if (box.right > document.documentElement.clientWidth + 1) {
			info.problems.push(`runs off the right edge (${Math.round(box.right)} px of ${document.documentElement.clientWidth})`);
		}
		const label = (canvas.getAttribute('aria-label') || '').trim();
		if (label === '') info.problems.push('has no aria-label');
		info.label = label;
		const chart = window.Chart && typeof window.Chart.getChart === 'function' ? window.Chart.getChart(canvas) : null;
		if (!chart) {
			info.problems.push('has no Chart.js chart');
		} else {
			let points = 0;
			let nonZero = 0;
			for (const set of chart.data.datasets || []) {
				for (const v of set.data || []) {
					points++;
					// a floating bar ({x: [from, to], y: label}) counts by its length
					const n = typeof v === 'number' ? v : Array.isArray(v) ? v[1] - v[0]
						: v && typeof v === 'object' ? (Array.isArray(v.x) ? v.x[1] - v.x[0] : Array.isArray(v.y) ? v.y[1] - v.y[0] : Number(v.y ?? v.x))
							: Number(v);
					if (Number.isFinite(n) && n !== 0) nonZero++;
				}
			}
			info.points = points;
			if (nonZero === 0) info.problems.push(`its chart has no non-zero value (${points} points)`);
		}
		// painted pixels: anything not fully transparent
		try {
			const ctx = canvas.getContext('2d');
			const { width, height } = canvas;
			const data = ctx.getImageData(0, 0, width, height).data;
			let painted = 0;
			for (let i = 3; i < data.length; i += 4) if (data[i] > 0) painted++;
			info.painted = painted / Math.max(1, width * height);
			if (info.painted < 0.01) info.problems.push(`is blank (${(info.painted * 100).toFixed(2)}% of its pixels painted)`);
		} catch (e) {
			info.problems.push(`cannot be read: ${e.message}`);
		}
		const figure = canvas.closest('figure');
		if (!figure) {
			info.problems.push('is not in a figure');
		} else {
			const caption = figure.querySelector('figcaption');
			if (!caption || caption.textContent.trim() === '') info.problems.push('has no figcaption');
			let rows = 0;
			for (const table of figure.querySelectorAll('table')) for (const body of table.tBodies) rows += body.rows.length;
			const summary = figure.querySelector('.chart-summary');
			if (rows === 0 && !(summary && summary.textContent.trim() !== '')) {
				info.problems.push('has neither a table of its figures nor a summary beside it');
			}
			info.rows = rows;
		}
	}
	return out;
}

function sideways() {
	const root = document.documentElement;
	const wide = [];
	if (root.scrollWidth > root.clientWidth) {
		// the widest elements that stick out, to say what to fix
		for (const node of document.body.querySelectorAll('*')) {
			const r = node.getBoundingClientRect();
			if (r.right > root.clientWidth + 1 && !node.closest('.table-wrap') && getComputedStyle(node).position !== 'absolute') {
				wide.push(`${node.localName}${node.id ? '#' + node.id : ''}${node.className && typeof node.className === 'string' ? '.' + node.className.split(/\s+/).join('.') : ''} (${Math.round(r.right)} px)`);
				if (wide.length >= 5) break;
			}
		}
	}
	return { scrollWidth: root.scrollWidth, clientWidth: root.clientWidth, wide };
}

// ---- the run ---------------------------------------------------------------

async function main() {
	const opts = parseArgs(process.argv.slice(2));
	try {
		fs.mkdirSync(opts.artifacts, { recursive: true });
	} catch (err) {
		usageError(`cannot create the artifacts folder ${opts.artifacts}: ${err.message}`);
	}
	const browser = await launchChromium((line) => fail(line), TOTAL_TIMEOUT_MS);

	const outside = []; // requests that left the origin
	const consoleErrors = []; // { text, url }
	const pageErrors = [];
	const httpErrors = []; // { method, url, status }
	const expectedErrors = []; // (method, url, status) => bool
	let failed = false;
	const sameOrigin = (url) => {
		try {
			return new URL(url).origin === opts.origin;
		} catch {
			return false;
		}
	};
	const api = (p) => new URL(p, opts.root).href;

	const context = await browser.newContext({ viewport: LAPTOP, locale: 'en-GB' });
	context.setDefaultTimeout(STEP_TIMEOUT_MS);
	await context.route('**/*', (route) => {
		const url = route.request().url();
		if (sameOrigin(url)) return route.continue();
		if (!outside.includes(url)) outside.push(url);
		return route.abort('blockedbyclient');
	});
	const page = await context.newPage();
	page.on('request', (req) => {
		const url = req.url();
		if (!/^(data|blob|about):/.test(url) && !sameOrigin(url) && !outside.includes(url)) outside.push(url);
	});
	page.on('response', (res) => {
		if (res.status() >= 400) httpErrors.push({ method: res.request().method(), url: res.url(), status: res.status() });
	});
	page.on('console', (msg) => {
		if (msg.type() === 'error') consoleErrors.push({ text: msg.text(), url: msg.location().url });
	});
	page.on('pageerror', (err) => pageErrors.push(err.message || String(err)));

	async function step(what, fn) {
		if (failed) return;
		try {
			const said = await fn();
			ok(said || what);
		} catch (err) {
			failed = true;
			fail(`${what}: ${oneLine(err && err.message ? err.message : err).slice(0, 600)}`);
			try {
				await page.screenshot({ path: path.join(opts.artifacts, 'dashboard-failure.png'), fullPage: true });
			} catch {
				// the page may be gone
			}
		}
	}

	const check = (cond, message) => {
		if (!cond) throw new Error(message);
	};

	const waitForApi = (method, pathPrefix, pred) => page.waitForResponse((res) => {
		const u = new URL(res.url());
		return res.request().method() === method && sameOrigin(res.url()) && u.pathname === pathPrefix && (!pred || pred(u));
	});

	async function chartsDrawn(where, ids = OVERVIEW_CHARTS) {
		await page.waitForFunction((ids) => ids.every((id) => {
			const c = document.getElementById(id);
			return c && window.Chart && window.Chart.getChart(c) && c.getBoundingClientRect().width > 0;
		}), ids, { timeout: STEP_TIMEOUT_MS }).catch(() => {});
		const charts = await page.evaluate(inspectCharts, ids);
		const problems = [];
		for (const c of charts) for (const p of c.problems) problems.push(`chart ${c.id} ${p}`);
		check(problems.length === 0, `${where}: ${problems.join('; ')}`);
		return charts;
	}

	async function noSideways(where) {
		const s = await page.evaluate(sideways);
		check(s.scrollWidth <= s.clientWidth,
			`${where} scrolls sideways (${s.scrollWidth} px of content in ${s.clientWidth} px)` + (s.wide.length ? `; wide: ${s.wide.join(', ')}` : ''));
	}

	async function pageLoaded(name) {
		await page.waitForFunction((n) => {
			const section = document.getElementById('page-' + n);
			if (!section || section.hidden) return false;
			const status = section.querySelector('.page-status');
			return !status || !/^Loading/.test(status.textContent);
		}, name);
	}

	async function goTo(name, label) {
		await page.getByRole('navigation', { name: 'Pages', exact: true }).getByRole('link', { name: label, exact: true }).click();
		await page.waitForFunction((n) => location.hash === '#/' + n, name);
		await pageLoaded(name);
	}

	const stamp = Date.now().toString(36);
	const newId = `dash-${opts.party.toLowerCase()}-${stamp}`;
	const day = new Date().toISOString().slice(0, 10);

	// 1. the page loads, under the server's CSP, and shows the sign-in form
	await step('load', async () => {
		const response = await page.goto(opts.root, { waitUntil: 'load' });
		check(response && response.ok(), `GET / answered ${response ? response.status() : 'nothing'}`);
		const csp = (await response.allHeaders())['content-security-policy'] || '';
		check(/default-src 'self'/.test(csp), `GET / has no Content-Security-Policy with default-src 'self' (got '${csp}')`);
		// the 401 of GET /me (not signed in yet) is what shows the form
		expectedErrors.push((m, u, s) => m === 'GET' && u === api('/api/v1/me') && s === 401);
		await page.locator('#login-form').waitFor({ state: 'visible' });
		check(await page.locator('h1:visible').count() === 1, 'the page does not show exactly one h1');
		return `loaded ${opts.root} under its Content-Security-Policy; the sign-in form is shown`;
	});

	// 2. sign in with the keyboard only
	await step('keyboard sign-in', async () => {
		let tabs = 0;
		for (; tabs < 30; tabs++) {
			await page.keyboard.press('Tab');
			if (await page.evaluate(() => document.activeElement && document.activeElement.id === 'login-name')) break;
		}
		check(tabs < 30, 'Tab never reached the name field of the sign-in form');
		const focus = await page.evaluate(() => {
			const s = getComputedStyle(document.activeElement);
			return { outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2, shadow: s.boxShadow !== 'none' };
		});
		check(focus.outline || focus.shadow, 'the focused name field shows no focus outline');
		check(await page.evaluate(() => document.activeElement.labels && document.activeElement.labels.length > 0 &&
			document.activeElement.labels[0].textContent.trim() !== ''), 'the name field has no label');
		await page.keyboard.type(opts.donorName);
		await page.keyboard.press('Tab');
		check(await page.evaluate(() => document.activeElement && document.activeElement.type === 'password'),
			'Tab from the name field did not reach the password field');
		await page.keyboard.type(opts.donorPassword);
		const login = waitForApi('POST', '/api/v1/login');
		await page.keyboard.press('Enter');
		const res = await login;
		check(res.status() === 200, `POST /api/v1/login answered ${res.status()}`);
		await page.locator('#user-box').waitFor({ state: 'visible' });
		const who = (await page.locator('#user-name').textContent()).trim();
		const role = (await page.locator('#user-role').textContent()).trim();
		check(who === opts.donorName, `the header names '${who}', not ${opts.donorName}`);
		check(role === `donor:${opts.party}`, `the header gives the role '${role}', not donor:${opts.party}`);
		await page.locator('#page-overview').waitFor({ state: 'visible' });
		return `signed in as ${who} (${role}) with Tab, typing and Enter only (${tabs + 1} Tabs to the name field)`;
	});

	// 3. the overview's charts are drawn
	await step('overview charts', async () => {
		await pageLoaded('overview');
		const status = (await page.locator('#overview-status').textContent()).trim();
		check(status === '', `the overview says: ${status}`);
		const charts = await chartsDrawn('overview at 1366x768');
		await noSideways('the overview at 1366x768');
		await page.screenshot({ path: path.join(opts.artifacts, 'dashboard-laptop.png'), fullPage: true });
		return `overview: ${charts.length} charts drawn (${charts.map((c) => `${c.id} ${Math.round(c.painted * 100)}% painted, ${c.rows} table rows`).join('; ')}); screenshot dashboard-laptop.png`;
	});

	// 4. the pledges table, sorted by a header button by mouse and by keyboard
	await step('pledges sorting', async () => {
		await goTo('pledges', 'Pledges');
		const rows = await page.locator('#pledges-body tr').count();
		check(rows > 0, 'the pledges table has no row');
		const dateButton = page.locator('#pledges-table thead button', { hasText: 'Date' });
		let res = waitForApi('GET', '/api/v1/pledges', (u) => u.searchParams.get('sort') === 'date');
		await dateButton.click();
		check((await res).status() === 200, 'sorting by date failed');
		await pageLoaded('pledges');
		const th = dateButton.locator('xpath=ancestor::th[1]');
		check(await th.getAttribute('aria-sort') === 'ascending', `after one click the Date header has aria-sort=${await th.getAttribute('aria-sort')}`);
		const dates = async () => page.$$eval('#pledges-body tr', (trs) => trs.map((tr) => tr.cells[2] ? tr.cells[2].textContent : ''));
		const up = await dates();
		check(up.every((d, i) => i === 0 || up[i - 1] <= d), 'the dates are not in ascending order');
		res = waitForApi('GET', '/api/v1/pledges', (u) => u.searchParams.get('sort') === '-date');
		await dateButton.focus();
		await page.keyboard.press('Enter');
		check((await res).status() === 200, 'sorting by date, descending, failed');
		await pageLoaded('pledges');
		check(await th.getAttribute('aria-sort') === 'descending', 'Enter on the Date header did not sort descending');
		const down = await dates();
		check(down.every((d, i) => i === 0 || down[i - 1] >= d), 'the dates are not in descending order');
		return `pledges: ${rows} rows; the Date header sorts ascending by click and descending by Enter (aria-sort follows)`;
	});

	// 5. add a pledge of the donor's own party through the form
	await step('add a pledge', async () => {
		await page.locator('#panel-add > summary').click();
		const donor = page.locator('#add-donor');
		check(await donor.inputValue() === opts.party, `the donor field holds '${await donor.inputValue()}', not ${opts.party}`);
		check(await donor.evaluate((n) => n.readOnly || n.disabled), 'a donor user can change the donor field');
		await page.locator('#add-id').fill(newId);
		await page.locator('#add-date').fill(day);
		await page.locator('#add-amount').fill('1.5m');
		await page.locator('#add-currency').fill('EUR');
		await page.locator('#add-status').selectOption('announced');
		await page.locator('#add-cost_type').selectOption('purchase');
		await page.locator('#add-source').fill('browser test: tests/browser/dashboard.mjs');
		await page.locator('#add-note').fill('added through the dashboard by the browser test');
		const res = waitForApi('POST', '/api/v1/pledges');
		await page.locator('#add-form button[type="submit"]').click();
		const answer = await res;
		const body = await answer.json().catch(() => null);
		check(answer.status() === 201, `POST /api/v1/pledges answered ${answer.status()}: ${JSON.stringify(body)}`);
		check(body && body.id === newId && body.donor === opts.party, `the server answered ${JSON.stringify(body)}`);
		const msg = page.locator('#add-status-msg');
		await page.waitForFunction((id) => document.getElementById('add-status-msg').textContent.includes(id), newId);
		check(await msg.getAttribute('role') === 'status' || await msg.getAttribute('aria-live') !== null, 'the form\'s message is not in a live region');
		return `added pledge ${newId} of ${opts.party} through the form (201); the form says: ${oneLine(await msg.textContent())}`;
	});

	// 6. find it by searching its id
	await step('search', async () => {
		const search = page.locator('#filter-q');
		await search.fill('');
		await search.pressSequentially(newId);
		const res = waitForApi('GET', '/api/v1/pledges', (u) => u.searchParams.get('q') === newId);
		await search.press('Enter');
		check((await res).status() === 200, 'the search failed');
		await pageLoaded('pledges');
		const rows = await page.$$eval('#pledges-body tr', (trs) => trs.map((tr) => Array.from(tr.cells).map((c) => c.textContent.trim())));
		check(rows.length === 1, `searching ${newId} shows ${rows.length} rows`);
		check(rows[0][0] === newId && rows[0][1] === opts.party, `searching ${newId} shows ${JSON.stringify(rows[0])}`);
		return `searching '${newId}' shows its one row: ${rows[0].slice(0, 7).join(' | ')}`;
	});

	// 7. revising another nation's pledge is refused, and the refusal shown
	await step('refused revision', async () => {
		await page.locator('#panel-revise > summary').click();
		await page.locator('#revise-key').fill(opts.otherPledge);
		const got = waitForApi('GET', `/api/v1/pledges/${encodeURIComponent(opts.otherPledge)}`);
		await page.locator('#revise-key').press('Enter');
		const loaded = await got;
		check(loaded.status() === 200, `GET of pledge ${opts.otherPledge} answered ${loaded.status()}`);
		const record = await loaded.json();
		check(record.donor !== opts.party, `--other-pledge ${opts.otherPledge} is a pledge of ${opts.party} itself`);
		await page.waitForFunction(() => !document.getElementById('revise-fields').disabled);
		const note = page.locator('#revise-note');
		const before = await note.inputValue();
		await note.fill(`${before} (changed by the browser test)`);
		const url = api(`/api/v1/pledges/${encodeURIComponent(opts.otherPledge)}`);
		expectedErrors.push((m, u, s) => m === 'PATCH' && u === url && s === 403);
		const patch = waitForApi('PATCH', `/api/v1/pledges/${encodeURIComponent(opts.otherPledge)}`);
		await page.locator('#revise-form button[type="submit"]').click();
		const answer = await patch;
		check(answer.status() === 403, `PATCH of ${opts.otherPledge} answered ${answer.status()}, not 403`);
		const sent = answer.request().postDataJSON();
		check(sent && Object.keys(sent).length === 1 && 'note' in sent, `the PATCH sent ${JSON.stringify(sent)}, not just the note`);
		const err = await answer.json().catch(() => null);
		const message = err && err.error && typeof err.error.message === 'string' ? err.error.message : null;
		check(message, `the 403 has no {"error": {"message"}} body: ${JSON.stringify(err)}`);
		await page.waitForFunction((m) => document.getElementById('revise-status-msg').textContent.includes(m), message);
		const region = page.locator('#revise-status-msg');
		const live = (await region.getAttribute('aria-live')) || ((await region.getAttribute('role')) === 'alert' ? 'assertive' : null);
		check(live, 'the refusal is not in an aria-live region');
		const after = await page.evaluate(async (u) => (await fetch(u, { headers: { Accept: 'application/json' } })).json(), url);
		check(after.note === record.note, `the refused change was stored anyway: note is now '${after.note}'`);
		return `revising ${opts.otherPledge} (a pledge of ${record.donor}) was refused with 403, shown next to the form: ${oneLine(await region.textContent())}`;
	});

	// 8. the training page, reached with the keyboard: its charts drawn and
	// its tables as the API has them
	await step('training page', async () => {
		const link = page.getByRole('navigation', { name: 'Pages', exact: true }).getByRole('link', { name: 'Training', exact: true });
		await link.focus();
		const training = waitForApi('GET', '/api/v1/training');
		await page.keyboard.press('Enter');
		check((await training).status() === 200, 'GET /api/v1/training failed');
		await page.waitForFunction(() => location.hash === '#/training');
		await pageLoaded('training');
		check(await page.evaluate(() => document.activeElement && document.activeElement.id === 'h-training'),
			'Enter on the Training link did not move the focus to the page\'s heading');
		check(await link.getAttribute('aria-current') === 'page', 'the Training link is not marked as the current page');
		const status = (await page.locator('#training-status').textContent()).trim();
		check(status === '', `the training page says: ${status}`);
		const charts = await chartsDrawn('training at 1366x768', TRAINING_CHARTS);
		await noSideways('the training page at 1366x768');
		const seen = await page.evaluate(async () => {
			const get = async (u) => (await fetch(u, { headers: { Accept: 'application/json' } })).json();
			const t = await get('/api/v1/training');
			const plan = await get('/api/v1/plan');
			const cells = (id) => Array.from(document.getElementById(id).rows).map((tr) => Array.from(tr.cells).map((c) => c.textContent.trim()));
			const inTables = Array.from(document.querySelectorAll('#page-training table b, #page-training table script')).length;
			return {
				t, crewed: plan.requirements.filter((r) => r.crew_needed > 0), skills: cells('table-skills'),
				calendar: cells('table-calendar'), upcoming: cells('upcoming-body'), lag: cells('lag-body'), inTables,
			};
		});
		check(seen.skills.length === seen.t.skills.length && seen.t.skills.every((k, i) => seen.skills[i][0] === k.skill &&
			seen.skills[i][5].replace(/,/g, '') === String(k.short)), `the skills table ${JSON.stringify(seen.skills)} is not the API's ${JSON.stringify(seen.t.skills)}`);
		check(seen.calendar.length === seen.t.courses.length, `the calendar's table has ${seen.calendar.length} rows for ${seen.t.courses.length} courses`);
		const upcomingIds = seen.upcoming.map((r) => r[0]);
		check(seen.t.upcoming.length > 0, 'the API gives no course starting soon: the fixture should have some');
		check(JSON.stringify(upcomingIds) === JSON.stringify(seen.t.upcoming),
			`the courses starting soon are ${JSON.stringify(upcomingIds)}, the API says ${JSON.stringify(seen.t.upcoming)}`);
		const marked = seen.t.courses.filter((c) => c.location && /[<&]/.test(c.location));
		check(marked.length > 0, 'no course location holds markup: the fixture should have one');
		for (const c of marked) {
			check(seen.calendar.some((r) => r[1] === c.id && r[9] === c.location), `the location of ${c.id} is not shown as the text ${JSON.stringify(c.location)}`);
		}
		check(seen.inTables === 0, `markup from the API became ${seen.inTables} elements in the page`);
		// the lag table: one row per requirement of crewed equipment, never ready first, then the longest lag
		check(seen.lag.length > 0 && seen.lag.length === seen.crewed.length,
			`the lag table has ${seen.lag.length} rows; the plan has ${seen.crewed.length} requirements of crewed equipment`);
		const never = seen.lag.map((r) => r[4] === 'never');
		check(never.every((n, i) => i === 0 || !n || never[i - 1]), `a never-ready row comes after a ready one: ${JSON.stringify(seen.lag)}`);
		const lags = seen.lag.filter((r) => r[4] !== 'never').map((r) => Number(r[5].replace(/,/g, '')));
		check(lags.every((n, i) => Number.isFinite(n) && (i === 0 || lags[i - 1] >= n)), `the lags are not longest first: ${JSON.stringify(lags)}`);
		for (const row of seen.lag) {
			const r = seen.crewed.find((x) => x.id === row[0]);
			check(r, `the lag table names ${row[0]}, which is not a requirement of crewed equipment`);
			check(row[4] === (r.ready === null ? 'never' : r.ready), `${r.id}: ready shown as ${row[4]}, the plan says ${r.ready}`);
		}
		await page.screenshot({ path: path.join(opts.artifacts, 'dashboard-training.png'), fullPage: true });
		return `training: ${charts.map((c) => `${c.id} ${Math.round(c.painted * 100)}% painted, ${c.points} bars`).join('; ')}; ` +
			`${seen.skills.length} skills, ${seen.calendar.length} courses, ${seen.upcoming.length} starting soon (${upcomingIds.join(', ')}); ` +
			`lag table of ${seen.lag.length} (${never.filter(Boolean).length} never ready, then ${lags.join(', ')} days); screenshot dashboard-training.png`;
	});

	// 9. a phone: the overview and every other page fit the width
	await step('phone', async () => {
		await page.setViewportSize(PHONE);
		const report = waitForApi('GET', '/api/v1/report');
		await goTo('overview', 'Overview');
		await report;
		await pageLoaded('overview');
		const charts = await chartsDrawn('overview at 390x844');
		await noSideways('the overview at 390x844');
		await page.screenshot({ path: path.join(opts.artifacts, 'dashboard-phone.png'), fullPage: true });
		const pages = [['pledges', 'Pledges'], ['requirements', 'Requirements'], ['gaps', 'Gaps'], ['training', 'Training'], ['burden', 'Burden sharing'], ['journal', 'Journal']];
		for (const [name, label] of pages) {
			await goTo(name, label);
			await noSideways(`the ${name} page at 390x844`);
			if (name === 'training') {
				await chartsDrawn('training at 390x844', TRAINING_CHARTS);
				check(await page.locator('#calendar-data').evaluate((d) => d.open), 'on a phone the table of every course is not shown open');
				await page.screenshot({ path: path.join(opts.artifacts, 'dashboard-training-phone.png'), fullPage: true });
			}
		}
		return `at 390x844 the overview's ${charts.length} charts and the training page's ${TRAINING_CHARTS.length} are drawn and no page scrolls sideways; screenshots dashboard-phone.png, dashboard-training-phone.png`;
	});

	// 10. sign out
	await step('sign out', async () => {
		await page.setViewportSize(LAPTOP);
		const res = waitForApi('POST', '/api/v1/logout');
		await page.getByRole('button', { name: 'Sign out' }).click();
		check((await res).status() < 300, 'POST /api/v1/logout failed');
		await page.locator('#login-form').waitFor({ state: 'visible' });
		return 'signed out; the sign-in form is back';
	});

	await context.close().catch(() => {});
	await browser.close().catch(() => {});

	// what the page asked for or said, all along
	const expected = (e) => expectedErrors.some((f) => f(e.method, e.url, e.status));
	const unexpected = httpErrors.filter((e) => !expected(e));
	const final = [];
	if (outside.length) final.push(`requests left ${opts.origin} (blocked): ${outside.join(', ')}`);
	for (const e of unexpected) final.push(`unexpected HTTP ${e.status} for ${e.method} ${e.url}`);
	for (const e of consoleErrors) {
		// the browser's own line about an HTTP error the test expected (the 401
		// before signing in, the 403 of the refused revision)
		if (/^Failed to load resource/.test(e.text) && httpErrors.some((h) => h.url === e.url && expected(h))) continue;
		if (/^Failed to load resource/.test(e.text) && outside.includes(e.url)) continue;
		final.push(`console error: ${oneLine(e.text)}${e.url ? ` (${e.url})` : ''}`);
	}
	for (const e of pageErrors) final.push(`page error: ${oneLine(e)}`);
	if (final.length) {
		for (const line of final) fail(line);
		failed = true;
	} else {
		ok(`no request left ${opts.origin}; no console error, page error or unexpected HTTP error`);
	}
	process.exit(failed ? 1 : 0);
}

main().catch((err) => {
	fail(`internal error: ${oneLine(err && err.stack ? err.stack : err)}`);
	process.exit(1);
});
