/** Google's JSON error bodies (AIP-193), as the Sheets API sends them. */

export function googleError(code: number, status: string, message: string) {
  return { error: { code, message, status } };
}

/** Google's 429 body for the per-user quota, as documented (AIP-193 ErrorInfo). */
export function quotaExceeded(metric: 'Write' | 'Read') {
  return {
    error: {
      code: 429,
      message: `Quota exceeded for quota metric '${metric} requests' and limit '${metric} requests per minute per user' of service 'sheets.googleapis.com' for consumer 'project_number:123456789012'.`,
      status: 'RESOURCE_EXHAUSTED',
      details: [
        {
          '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
          reason: 'RATE_LIMIT_EXCEEDED',
          domain: 'googleapis.com',
          metadata: {
            consumer: 'projects/123456789012',
            quota_limit: `${metric}RequestsPerMinutePerUser`,
            quota_metric: `sheets.googleapis.com/${metric.toLowerCase()}_requests`,
            service: 'sheets.googleapis.com',
          },
        },
      ],
    },
  };
}
