// The one store is assembled from slices; each slice sees the whole state through get().
import type { StoreApi } from 'zustand/vanilla';
import type { LabState } from './labStore';

export type SliceCreator<T> = (set: StoreApi<LabState>['setState'], get: () => LabState) => T;
