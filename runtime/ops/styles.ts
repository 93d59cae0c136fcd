/**
 * The dashboard's stylesheet, sent inline under a CSP nonce: the page loads nothing else.
 * Status colours are the usual traffic lights, with a text label beside each for colour-blind
 * readers.
 */
export const DASHBOARD_CSS = `
:root { color-scheme: light; font: 14px/1.4 system-ui, sans-serif; color: #1d2330; background: #f4f5f7; }
body { margin: 0 auto; max-width: 1200px; padding: 16px; }
header { display: flex; justify-content: space-between; align-items: baseline; }
h1 { font-size: 20px; margin: 0 0 8px; } h2 { font-size: 16px; margin: 0 0 8px; }
section { background: #fff; border: 1px solid #dde1e6; border-radius: 6px; padding: 12px 16px; margin: 12px 0; }
.grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(230px, 1fr)); gap: 8px; }
.tile { border-radius: 4px; padding: 6px 8px; border-left: 6px solid #8d96a3; background: #f7f8fa; }
.tile b { display: block; } .tile small { color: #505a68; }
.tile.ok { border-color: #2e9d4f; } .tile.warning { border-color: #e0a100; background: #fff8e1; }
.tile.critical { border-color: #d03535; background: #fdecec; } .tile.unknown { border-color: #8d96a3; }
.badge { display: inline-block; padding: 0 6px; border-radius: 3px; font-size: 12px; color: #fff; background: #8d96a3; }
.badge.ok, .badge.succeeded, .badge.resolved { background: #2e9d4f; }
.badge.warning { background: #b27f00; } .badge.critical, .badge.failed, .badge.firing, .badge.dead { background: #d03535; }
table { border-collapse: collapse; width: 100%; } th, td { text-align: left; padding: 3px 8px 3px 0; border-bottom: 1px solid #eef0f3; vertical-align: top; }
th { font-weight: 600; color: #505a68; } code { font-size: 12px; word-break: break-all; }
.summary { display: flex; gap: 16px; flex-wrap: wrap; } .muted { color: #6b7482; }
svg.chart { width: 100%; height: auto; display: block; margin: 8px 0; }
svg .calls { fill: #7aa7e0; } svg .errors { fill: #d03535; } svg .slow { fill: #e0a100; }
svg .queued { fill: #7aa7e0; } svg .running { fill: #2e6fc0; } svg .completed { fill: #2e9d4f; } svg .dead { fill: #d03535; }
svg .axis { stroke: #8d96a3; } svg text { font-size: 11px; fill: #505a68; }
.columns { display: grid; grid-template-columns: 1fr 1fr; gap: 12px; } @media (max-width: 800px) { .columns { grid-template-columns: 1fr; } }
`;
