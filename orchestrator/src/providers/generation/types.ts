export type Duration = 5 | 15 | 30;
export type AspectRatio = '16:9' | '9:16' | '1:1';

export interface GenerationRequest {
  videoId: string;
  prompt: string;
  durationSec: Duration;
  aspectRatio: AspectRatio;
}

export type GenerationStatus =
  | { state: 'processing'; progress?: number }
  | { state: 'succeeded' }
  | { state: 'failed'; reason: string };

export interface GenerationProvider {
  /** 'local' | 'replicate' */
  readonly name: string;
  submit(req: GenerationRequest, signal?: AbortSignal): Promise<{ providerJobId: string }>;
  poll(providerJobId: string, req: GenerationRequest, signal?: AbortSignal): Promise<GenerationStatus>;
  /** Writes the finished clip to destPath (download with size + time limits, or a local copy). */
  fetchOutput(providerJobId: string, destPath: string, signal?: AbortSignal): Promise<void>;
  cancel?(providerJobId: string): Promise<void>;
}
