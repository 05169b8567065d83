// A view's h1: sets the window title and takes focus when the view opens, so keyboard and screen-reader users land on it.
import { useEffect, useRef, type ReactNode } from 'react';

export interface ViewHeadingProps {
  readonly title: string;
  readonly children?: ReactNode;
  /** Skip moving focus (e.g. the first view after start-up). */
  readonly noFocus?: boolean;
}

export function ViewHeading({ title, children, noFocus = false }: ViewHeadingProps) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} · Partner Console`;
    if (!noFocus) ref.current?.focus({ preventScroll: true });
  }, [title, noFocus]);
  return (
    <h1 ref={ref} tabIndex={-1} className="view-title">
      {children ?? title}
    </h1>
  );
}
