#!/usr/bin/env node
// tests/browser/check-report.mjs - check, in a real headless browser, the
// self-contained HTML report that `qm report --format html` writes: it loads
// the file in Debian's /usr/bin/chromium (driven by playwright-core, offline,
// every request but the file itself blocked and recorded) and fails when the
// page reaches out for anything, logs an error, has no h1, scrolls sideways at
// 1280 px, or has a chart (figure.chart) that is missing, too small, nearly
// empty, uncaptioned or without its table.chart-data; the chart checks run
// again with print media. It writes a full-page screenshot and a PDF of the
// page as test artifacts.
//
//   node tests/browser/check-report.mjs REPORT.html --screenshot OUT.png [--expect-charts N]
//
// Exit status: 0 when the report passes (one line "check-report: ok: ..." on
// standard output), 1 when it does not (one line per problem on standard
// error, each starting "check-report: "), 2 for a usage error, 3 when
// chromium or playwright-core is missing (install both with make deps).

import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

import { launchChromium, oneLine } from './launch.mjs';

const PROG = 'check-report';
const SCREEN_VIEWPORT = { width: 1280, height: 800 };
const PRINT_VIEWPORT = { width: 794, height: 1123 }; // A4 at 96 px per inch
const LIMITS = { minWidth: 200, minHeight: 100, minMarks: 3 };
const STEP_TIMEOUT_MS = 30000;
const TOTAL_TIMEOUT_MS = 120000;
const USAGE = 'usage: node tests/browser/check-report.mjs REPORT.html --screenshot OUT.png [--expect-charts N]';

function say(line) {
	process.stderr.write(`${PROG}: ${line}\n`);
}

function usageError(message) {
	say(message);
	process.stderr.write(`${USAGE}\n`);
	process.exit(2);
}

function parseArgs(argv) {
	const opts = { report: null, screenshot: null, expectCharts: null };
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i];
		const eq = arg.indexOf('=');
		const name = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
		const value = () => {
			if (arg.startsWith('--') && eq > 0) return arg.slice(eq + 1);
			if (i + 1 >= argv.length) usageError(`${name} needs a value`);
			return argv[++i];
		};
		if (name === '--screenshot') {
			opts.screenshot = value();
		} else if (name === '--expect-charts') {
			const v = value();
			if (!/^[0-9]+$/.test(v)) usageError(`--expect-charts wants a number of charts, not '${v}'`);
			opts.expectCharts = Number(v);
		} else if (name === '-h' || name === '--help') {
			process.stdout.write(`${USAGE}\n`);
			process.exit(0);
		} else if (arg.startsWith('-') && arg !== '-') {
			usageError(`unknown option '${arg}'`);
		} else if (opts.report === null) {
			opts.report = arg;
		} else {
			usageError(`one report at a time ('${opts.report}' and '${arg}')`);
		}
	}
	if (opts.report === null) usageError('no report given');
	if (opts.screenshot === null) usageError('--screenshot OUT.png is required');
	if (!/\.png$/i.test(opts.screenshot)) usageError(`the screenshot must be a .png file, not '${opts.screenshot}'`);
	let stat = null;
	try {
		stat = fs.statSync(opts.report);
	} catch {
		usageError(`no such report: ${opts.report}`);
	}
	if (!stat.isFile()) usageError(`not a file: ${opts.report}`);
	return opts;
}

// Runs in the page: what the checks need to know about the page and its
// charts, as plain data. It reads the DOM and layout only and relies on no
// script of the page's own.
function inspectPage(limits) {
	const MARKS = 'rect, path, line, polyline, polygon, circle';
	const NOT_DRAWN = 'defs, clipPath, mask, marker, pattern, symbol';
	const AREA_MARKS = new Set(['rect', 'polygon', 'circle']);
	const px = (n) => String(Math.round(n));
	const charts = [];
	document.querySelectorAll('figure.chart').forEach((fig, i) => {
		const chart = { name: fig.id ? fig.id : `number ${i + 1} (no id)`, marks: 0, problems: [] };
		charts.push(chart);
		const svg = fig.querySelector('svg');
		if (!svg) {
			chart.problems.push('has no svg');
		} else {
			const box = svg.getBoundingClientRect();
			if (box.width === 0 && box.height === 0) {
				chart.problems.push('svg is not displayed (0x0 px)');
			} else {
				if (box.width < limits.minWidth || box.height < limits.minHeight) {
					chart.problems.push(`svg is ${px(box.width)}x${px(box.height)} px, ` +
						`smaller than ${limits.minWidth}x${limits.minHeight}`);
				}
				for (const mark of svg.querySelectorAll(MARKS)) {
					if (mark.closest(NOT_DRAWN)) continue;
					if (getComputedStyle(mark).visibility !== 'visible') continue;
					const b = mark.getBoundingClientRect();
					const sized = AREA_MARKS.has(mark.localName) ? b.width > 0 && b.height > 0
						: b.width > 0 || b.height > 0;
					const inside = b.right >= box.left && b.left <= box.right &&
						b.bottom >= box.top && b.top <= box.bottom;
					if (sized && inside) chart.marks++;
				}
				if (chart.marks < limits.minMarks) {
					chart.problems.push(`svg has ${chart.marks} drawn mark${chart.marks === 1 ? '' : 's'} ` +
						`(rect, path, line, polyline, polygon, circle), at least ${limits.minMarks} wanted`);
				}
			}
			if (svg.getAttribute('role') !== 'img') chart.problems.push('svg lacks role="img"');
			const ids = (svg.getAttribute('aria-labelledby') || '').split(/\s+/).filter(Boolean);
			if (ids.length === 0) {
				chart.problems.push('svg lacks aria-labelledby');
			} else {
				const label = ids.map((id) => document.getElementById(id)?.textContent ?? '').join(' ').trim();
				if (label === '') chart.problems.push(`svg's aria-labelledby="${ids.join(' ')}" names no text`);
			}
		}
		const caption = fig.querySelector(':scope > figcaption');
		if (!caption) chart.problems.push('has no figcaption');
		else if (caption.textContent.trim() === '') chart.problems.push('has an empty figcaption');
		const next = fig.nextElementSibling;
		if (!next || !next.matches('table.chart-data')) {
			chart.problems.push('is not followed by a table.chart-data');
		} else {
			let rows = 0;
			for (const body of next.tBodies) rows += body.rows.length;
			if (rows === 0) chart.problems.push('its table.chart-data has no body row');
		}
	});
	const root = document.documentElement;
	return {
		charts,
		hasH1: document.querySelector('h1') !== null,
		scrollWidth: root.scrollWidth,
		clientWidth: root.clientWidth,
		url: location.href,
	};
}

// The chart problems as lines; those already seen on screen (the same chart,
// the same problem but for its numbers) are not said again for print.
function chartProblems(info, prefix, seen) {
	const lines = [];
	const key = (chart, p) => `${chart.name}\n${p.replace(/[0-9]+/g, '#')}`;
	for (const chart of info.charts) {
		for (const p of chart.problems) {
			if (seen.has(key(chart, p))) continue;
			seen.add(key(chart, p));
			lines.push(`${prefix}chart ${chart.name}: ${p}`);
		}
	}
	return lines;
}

async function main() {
	const opts = parseArgs(process.argv.slice(2));
	const reportPath = path.resolve(opts.report);
	const reportUrl = pathToFileURL(reportPath).href;
	const screenshot = path.resolve(opts.screenshot);
	const pdf = screenshot.replace(/\.png$/i, '.pdf');

	const browser = await launchChromium(say, TOTAL_TIMEOUT_MS);

	const problems = [];
	const requests = []; // URLs asked for, other than the report, in order
	const consoleErrors = []; // { text, url }
	const pageErrors = [];
	let info;
	let printInfo;
	try {
		const context = await browser.newContext({ offline: true, viewport: SCREEN_VIEWPORT });
		context.setDefaultTimeout(STEP_TIMEOUT_MS);
		const isReport = (url) => {
			try {
				const u = new URL(url);
				u.hash = '';
				return u.href === reportUrl;
			} catch {
				return false;
			}
		};
		const record = (url) => {
			if (!isReport(url) && !requests.includes(url)) requests.push(url);
		};
		await context.route('**/*', (route) => {
			const url = route.request().url();
			if (isReport(url)) return route.continue();
			record(url);
			return route.abort('blockedbyclient');
		});
		const page = await context.newPage();
		// every request the page makes is recorded too, in case some scheme
		// ever slips past the route
		page.on('request', (req) => {
			const url = req.url();
			if (!/^(data|blob|about):/.test(url)) record(url);
		});
		page.on('console', (msg) => {
			if (msg.type() === 'error') consoleErrors.push({ text: msg.text(), url: msg.location().url });
		});
		page.on('pageerror', (err) => pageErrors.push(err.message || String(err)));

		const response = await page.goto(reportUrl, { waitUntil: 'load' });
		if (response && !response.ok()) problems.push(`loading the report failed with status ${response.status()}`);
		await page.evaluate(() => document.fonts.ready.then(() => undefined));

		// screen, 1280 px wide
		info = await page.evaluate(inspectPage, LIMITS);
		await page.screenshot({ path: screenshot, fullPage: true });

		// print, an A4 page wide
		await page.emulateMedia({ media: 'print' });
		await page.setViewportSize(PRINT_VIEWPORT);
		printInfo = await page.evaluate(inspectPage, LIMITS);
		await page.emulateMedia({ media: 'screen' });
		await page.setViewportSize(SCREEN_VIEWPORT);
		await page.pdf({ path: pdf, format: 'A4', printBackground: true });
		await context.close();
	} catch (err) {
		problems.push(`the browser failed: ${oneLine(err.message).slice(0, 300)}`);
	} finally {
		await browser.close().catch(() => {});
	}

	// what the page asked for or said
	for (const url of requests) problems.push(`request outside the report (blocked): ${url}`);
	for (const e of consoleErrors) {
		// the browser's own note about a request blocked above says nothing new
		if (/^Failed to load resource/.test(e.text) && requests.includes(e.url)) continue;
		problems.push(`console error: ${oneLine(e.text)}`);
	}
	for (const e of pageErrors) problems.push(`page error: ${oneLine(e)}`);

	// the page and its charts
	const seen = new Set();
	if (info) {
		if (!isSameDocument(info.url, reportUrl)) problems.push(`the page went away to ${info.url}`);
		if (!info.hasH1) problems.push('the page has no h1');
		if (info.scrollWidth > info.clientWidth) {
			problems.push(`the page scrolls sideways at ${SCREEN_VIEWPORT.width} px ` +
				`(${info.scrollWidth} px of content in ${info.clientWidth} px)`);
		}
		if (info.charts.length === 0) problems.push('no chart (figure.chart) in the page');
		if (opts.expectCharts !== null && info.charts.length !== opts.expectCharts) {
			problems.push(`${info.charts.length} charts (figure.chart), ${opts.expectCharts} expected`);
		}
		problems.push(...chartProblems(info, '', seen));
	}
	if (printInfo) problems.push(...chartProblems(printInfo, 'print: ', seen));

	if (problems.length > 0) {
		for (const p of problems) say(p);
		say(`FAILED: ${problems.length} problem${problems.length === 1 ? '' : 's'} in ${opts.report}` +
			(fs.existsSync(screenshot) ? ` (screenshot ${opts.screenshot})` : ''));
		process.exit(1);
	}
	const marks = info.charts.reduce((n, c) => n + c.marks, 0);
	process.stdout.write(`${PROG}: ok: ${info.charts.length} charts, ${marks} marks, screenshot ${opts.screenshot}\n`);
	process.exit(0);
}

function isSameDocument(a, b) {
	try {
		const ua = new URL(a);
		ua.hash = '';
		return ua.href === b;
	} catch {
		return false;
	}
}

main().catch((err) => {
	say(`internal error: ${oneLine(err && err.stack ? err.stack : err)}`);
	process.exit(1);
});
