// The worker's token calibration: loaded from storage before the first count, updated from every
// call's reported usage, and written back off the critical path (at most once a second per model).
import { createTokenCalibration, type TokenCalibration } from '../../core/context';
import type { Logger } from '../../runtime/logger';
import type { TokenCalibrationsRepository } from '../../stores/token-calibrations-repository';

/** A model's new ratio is written at most this often; later samples ride on the next write. */
export const CALIBRATION_SAVE_INTERVAL_MS = 1_000;

export class WorkerCalibration {
  readonly calibration: TokenCalibration = createTokenCalibration();
  private loading?: Promise<void>;
  private readonly lastSaved = new Map<string, number>();
  private readonly pending = new Map<string, NodeJS.Timeout>();

  constructor(private readonly repository: Pick<TokenCalibrationsRepository, 'load' | 'save'>, private readonly logger?: Logger) {}

  /** Resolves once the stored ratios are in (a failed read leaves the defaults and is logged). */
  ready(): Promise<void> {
    this.loading ??= this.repository.load().then(
      (state) => this.calibration.seed(state),
      (error: unknown) => this.logger?.warn({ err: error }, 'could not load token calibrations; using the defaults'),
    );
    return this.loading;
  }

  /** Learns from one call: `estimatedTokens` is what Keel counted for the request, `reportedInputTokens` what the provider billed. */
  record(modelName: string, estimatedTokens: number, reportedInputTokens: number): void {
    const before = this.calibration.state().models[modelName.toLowerCase()];
    this.calibration.calibrate(modelName, estimatedTokens, reportedInputTokens);
    const after = this.calibration.state().models[modelName.toLowerCase()];
    if (!after || after === before) return;
    this.scheduleSave(modelName.toLowerCase());
  }

  /** Writes what is pending now (tests, shutdown). */
  async flush(): Promise<void> {
    const models = [...this.pending.keys()];
    for (const model of models) clearTimeout(this.pending.get(model));
    this.pending.clear();
    await Promise.all(models.map((model) => this.save(model)));
  }

  private scheduleSave(model: string): void {
    if (this.pending.has(model)) return;
    const wait = Math.max(0, (this.lastSaved.get(model) ?? 0) + CALIBRATION_SAVE_INTERVAL_MS - Date.now());
    const timer = setTimeout(() => {
      this.pending.delete(model);
      void this.save(model);
    }, wait);
    timer.unref();
    this.pending.set(model, timer);
  }

  private async save(model: string): Promise<void> {
    const current = this.calibration.state().models[model];
    if (!current) return;
    this.lastSaved.set(model, Date.now());
    await this.repository.save(model, current.ratio, current.samples)
      .catch((error: unknown) => this.logger?.warn({ err: error, model }, 'could not save a token calibration'));
  }
}
