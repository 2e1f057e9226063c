// What each landscape view is given: one entry per run, its colour and label chosen by the page,
// and its result of the view's kind (absent until computed; partial while streaming).

export interface RunSlice<R> {
  id: string;
  name: string;
  color: string;
  result?: R;
}
