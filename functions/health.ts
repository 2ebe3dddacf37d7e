/**
 * HTTP trigger: GET /api/health (anonymous). The settings-derived report (shared/health/report.ts),
 * the poisoned cluster count, and whether the app reaches ARM as itself (shared/health/arm-check.ts:
 * a token and one cheap read, measured at most once a minute per process). 200 when the settings
 * load, 503 with the problems when not; ARM being unreachable does not change the status code, so a
 * platform health check does not recycle instances over an ARM outage they cannot fix.
 */
import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import { type HealthReport, healthReport, workHealth } from '../shared/health/report.js';
import { armHealth } from '../shared/runtime/arm-probe.js';
import { poisonDependencies } from '../shared/runtime/event-dependencies.js';
import { currentSettings } from '../shared/runtime/lazy.js';

export async function health(_request: HttpRequest, _context: InvocationContext): Promise<HttpResponseInit> {
  const settingsReport = healthReport(currentSettings);
  let report: HealthReport = settingsReport;
  if (settingsReport.status === 'ok' && settingsReport.backends !== undefined) {
    const [work, arm] = await Promise.all([workHealth(() => poisonDependencies().registry), armHealth()]);
    const backends = { ...settingsReport.backends, arm: { ...settingsReport.backends.arm, ...arm } };
    report = { ...settingsReport, backends, work };
  }
  return {
    status: report.status === 'ok' ? 200 : 503,
    jsonBody: report,
    headers: { 'cache-control': 'no-store' },
  };
}

app.http('health', { route: 'health', methods: ['GET'], authLevel: 'anonymous', handler: health });
