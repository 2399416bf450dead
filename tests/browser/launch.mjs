// tests/browser/launch.mjs - what the browser checks share: start Debian's
// chromium headless through playwright-core, with a watchdog over the whole
// run. Either one missing (or chromium failing to start) ends the process
// with status 3 and a line saying to run make deps; the watchdog (which
// does not keep the process alive) ends it with status 1. playwright-core
// is imported from beside this file, so a copy of a check away from
// node_modules finds it missing.

import fs from 'node:fs';

export const CHROMIUM = '/usr/bin/chromium';

// One line of text, whatever the page or the browser said.
export function oneLine(text) {
	return String(text).replace(/\s+/g, ' ').trim();
}

// The browser, launched; say(line) reports on standard error with the
// check's name, and after timeoutMs the run gives up. The caller closes it.
export async function launchChromium(say, timeoutMs) {
	try {
		fs.accessSync(CHROMIUM, fs.constants.X_OK);
	} catch {
		say(`chromium is not installed at ${CHROMIUM} (run make deps)`);
		process.exit(3);
	}
	let chromium;
	try {
		({ chromium } = await import('playwright-core'));
	} catch (err) {
		if (err && err.code === 'ERR_MODULE_NOT_FOUND') {
			say('playwright-core is not installed in node_modules (run make deps)');
			process.exit(3);
		}
		throw err;
	}
	const watchdog = setTimeout(() => {
		say(`gave up after ${timeoutMs / 1000} s`);
		process.exit(1);
	}, timeoutMs);
	watchdog.unref();
	try {
		return await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
	} catch (err) {
		say(`could not start ${CHROMIUM}: ${oneLine(err.message).slice(0, 300)} (run make deps)`);
		process.exit(3);
	}
}
